import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../functions/api/health';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

describe('GET /health', () => {
  it('is ok when the table answers a single-key read', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(handler, apiEvent({ path: '/health', userId: null }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ok', checks: { table: { ok: true } } });
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({
      TableName: 'crescendo-test',
      Key: { PK: 'HEALTH', SK: 'HEALTH' },
    });
  });

  it('is 503 degraded when the table does not answer', async () => {
    ddb.on(GetCommand).rejects(new Error('ECONNREFUSED'));
    const res = await call(handler, apiEvent({ path: '/health', userId: null }));
    expect(res.status).toBe(503);
    expect(res.body.data).toMatchObject({ status: 'degraded', checks: { table: { ok: false } } });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
