import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let token: string;
let campaignId: string;
const userId = 'stranded-creator';
const sample = JSON.parse(readFileSync('events/triggers-workflow-status.json', 'utf8'));

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  const creator = await fixtures.creator(userId);
  token = creator.token;
  ({ campaignId } = await creator
    .campaign({
      name: 'Stranded',
      goal: { type: 'views', metric: 'views', target: 1000 },
      startDate: '2026-12-14',
      platforms: ['instagram'],
      agentConfig: undefined,
    })
    .generated());
});
afterAll(async () => stack?.dispose());

/** Puts the campaign back into `generating` attempt `attempt` with the given lease, as a crashed run would leave it. */
async function strand(attempt: number, leaseUntil: string) {
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await dynamo.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: { PK: `USER#${userId}`, SK: `CAMP#${campaignId}` },
      UpdateExpression:
        'SET #status = :generating, attempt = :attempt, execution.attempt = :attempt, execution.leaseUntil = :lease REMOVE failure',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':generating': 'generating', ':attempt': attempt, ':lease': leaseUntil },
    }),
  );
}

const statusEvent = (attempt: number, status: string) => ({
  ...sample,
  detail: { ...sample.detail, name: `${campaignId}-a${attempt}`, status, input: JSON.stringify({ userId, campaignId, attempt }) },
});
const failedAnnouncements = () => stack.publishedEvents().filter((event) => event.detailType === 'campaign.failed');
const get = async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data;

describe('a campaign stranded in generating', () => {
  it('reads failed with TIMEOUT past its lease, frees its active slot, and may be retried', async () => {
    await strand(1, new Date(Date.now() - 1000).toISOString());
    expect(await get()).toMatchObject({ status: 'failed', failure: { code: 'TIMEOUT', step: 'workflow' } });
    expect((await api('GET', '/account', { token })).body.data.usage.activeCampaigns).toBe(0);
    const listed = async (status: string) =>
      (await api('GET', `/campaigns?status=${status}`, { token })).body.data.map((c: { campaignId: string }) => c.campaignId);
    expect(await listed('failed')).toEqual([campaignId]);
    expect(await listed('generating')).toEqual([]);
    const retried = await api('POST', `/campaigns/${campaignId}/retry`, { token });
    expect(retried.status).toBe(202);
    expect(retried.body.data.campaign).toMatchObject({ status: 'generating', attempt: 2 });
    await pollUntil(get, (campaign) => campaign.status === 'in_progress', 'the retry to finish');
  });

  it('is still generating (409 on retry and delete) while its lease runs', async () => {
    await strand(2, new Date(Date.now() + 60_000).toISOString());
    expect((await api('POST', `/campaigns/${campaignId}/retry`, { token })).status).toBe(409);
    expect((await api('DELETE', `/campaigns/${campaignId}`, { token })).status).toBe(409);
  });

  it('is failed by the status handler for its own attempt, once; an event for an older attempt changes nothing', async () => {
    const announced = failedAnnouncements().length;
    const stale = (await invokeLocal('functions/triggers/workflow-status.ts', statusEvent(1, 'ABORTED'))) as { recorded: boolean };
    expect(stale.recorded).toBe(false);
    expect(await get()).toMatchObject({ status: 'generating', attempt: 2 });

    const current = (await invokeLocal('functions/triggers/workflow-status.ts', statusEvent(2, 'TIMED_OUT'))) as { recorded: boolean };
    expect(current.recorded).toBe(true);
    expect(await get()).toMatchObject({ status: 'failed', attempt: 2, failure: { step: 'workflow', code: 'TIMEOUT' } });
    const again = (await invokeLocal('functions/triggers/workflow-status.ts', statusEvent(2, 'ABORTED'))) as { recorded: boolean };
    expect(again.recorded).toBe(false);
    await stack.asyncIdle();
    expect(failedAnnouncements().length - announced).toBe(1);
  });
});
