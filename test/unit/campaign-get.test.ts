import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/campaign-get';
import { MAX_INLINE_OUTPUT_BYTES } from '../../shared/db/agent-output-store';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const cid = '3f1c2a9e-7b4d-4c1e-9a2b-5d6e7f8a9b0c';
const header = {
  PK: 'USER#user-1',
  SK: `CAMP#${cid}`,
  userId: 'user-1',
  campaignId: cid,
  name: 'Spring push',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 1000 },
  durationDays: 90,
  startDate: '2026-03-01',
  platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
  status: 'in_progress',
  version: 9,
  attempt: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};
const output = (agent: string, fields: Record<string, unknown>) => ({
  PK: 'USER#user-1',
  SK: `CAMP#${cid}#AGENT#${agent}`,
  agent,
  model: 'offline',
  ...fields,
});

describe('GET /campaigns/{id}', () => {
  it('shows an output stored in the media bucket behind a pointer, and inline ones as they are', async () => {
    const plan = { posts: Array.from({ length: 720 }, (_, i) => ({ day: (i % 90) + 1, topic: `Topic ${i} `.repeat(60) })) };
    const json = JSON.stringify(plan);
    expect(json.length).toBeGreaterThan(MAX_INLINE_OUTPUT_BYTES);
    const key = `users/user-1/campaigns/${cid}/agent-outputs/plan-0123456789abcdef.json`;
    ddb.on(QueryCommand).resolves({
      Items: [
        header,
        output('plan', { outputRef: { key, bytes: json.length } }),
        output('strategy', { output: { summary: 'Grow with shorts' } }),
      ],
    });
    s3.on(GetObjectCommand, { Bucket: 'crescendo-media-test', Key: key }).resolves({
      Body: { transformToString: async () => json },
    } as never);

    const res = await call(handler, apiEvent({ path: `/campaigns/${cid}`, pathParameters: { id: cid } }));
    expect(res.status).toBe(200);
    expect(res.body.data.outputs).toEqual({ plan, strategy: { summary: 'Grow with shorts' } });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  it('reads no object when every output is inline', async () => {
    ddb.on(QueryCommand).resolves({ Items: [header, output('strategy', { output: { summary: 'Grow with shorts' } })] });
    const res = await call(handler, apiEvent({ path: `/campaigns/${cid}`, pathParameters: { id: cid } }));
    expect(res.body.data.outputs).toEqual({ strategy: { summary: 'Grow with shorts' } });
    expect(s3.calls()).toHaveLength(0);
  });
});
