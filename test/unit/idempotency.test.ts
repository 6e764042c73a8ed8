import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionLimitExceeded, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as retry } from '../../functions/api/campaign-retry';
import { handler as start } from '../../functions/api/campaign-start';
import { idempotencyKeyOf, requestFingerprint } from '../../shared/domain/idempotency';
import { ValidationError } from '../../shared/core/errors';
import { allowQuotas, notQuotaCall } from '../support/quotas';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const campaignId = '3f1c2a9e-7b4d-4c1e-9a2b-5d6e7f8a9b0c';
const otherCampaignId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const header = {
  PK: 'USER#user-1',
  SK: `CAMP#${campaignId}`,
  userId: 'user-1',
  campaignId,
  goal: { type: 'views', metric: 'views', target: 10 },
  name: 'Launch',
  durationDays: 7,
  startDate: '2026-03-01',
  platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
  status: 'ready_to_start',
  version: 1,
  attempt: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const fingerprintOf = (id: string) => requestFingerprint('StartCampaign', { id }, undefined);

const startEvent = (key?: string, id = campaignId) =>
  apiEvent({
    method: 'POST',
    path: `/campaigns/${id}/start`,
    pathParameters: { id },
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });

const keyTaken = (item: Record<string, unknown>) =>
  new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: marshall({ PK: 'USER#user-1', SK: 'IDEM#k-1', expiresAt: 2_000_000_000, ...item }),
  });

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(PutCommand).resolves({});
  ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } }).resolves({ Item: header });
  ddb
    .on(GetCommand, { Key: { PK: 'USER#user-1', SK: 'PROFILE' } })
    .resolves({ Item: { PK: 'USER#user-1', SK: 'PROFILE', userId: 'user-1' } });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({ Attributes: { ...header, status: 'generating', version: 2, attempt: 1 } });
  allowQuotas(ddb);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: new Date() });
});

describe('the Idempotency-Key header', () => {
  it('is optional', () => {
    expect(idempotencyKeyOf({})).toBeUndefined();
    expect(idempotencyKeyOf({ 'idempotency-key': 'a' })).toBe('a');
    expect(idempotencyKeyOf({ 'idempotency-key': 'k'.repeat(255) })).toHaveLength(255);
  });

  it.each([
    ['empty', ''],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not ASCII', 'clé'],
    ['a control character', 'a\tb'],
  ])('is a ValidationError naming header.idempotency-key when %s', (_, key) => {
    expect(() => idempotencyKeyOf({ 'idempotency-key': key })).toThrow(ValidationError);
  });
});

describe('the request fingerprint', () => {
  it('ignores the order of object keys, not the values, the route or the parameters', () => {
    const a = requestFingerprint('StartCampaign', { id: 'c' }, { x: 1, y: { b: [1, 2], a: null } });
    expect(requestFingerprint('StartCampaign', { id: 'c' }, { y: { a: null, b: [1, 2] }, x: 1 })).toBe(a);
    expect(requestFingerprint('StartCampaign', { id: 'c' }, { x: 1, y: { b: [2, 1], a: null } })).not.toBe(a);
    expect(requestFingerprint('RetryCampaign', { id: 'c' }, { x: 1, y: { b: [1, 2], a: null } })).not.toBe(a);
    expect(requestFingerprint('StartCampaign', { id: 'd' }, { x: 1, y: { b: [1, 2], a: null } })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('an idempotent route', () => {
  it('claims the key, runs, and stores exactly the response it sends', async () => {
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(202);

    const [claim, completion] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(claim.Item).toMatchObject({ PK: 'USER#user-1', SK: 'IDEM#k-1', fingerprint: fingerprintOf(campaignId), status: 'in_progress' });
    expect(claim.ConditionExpression).toMatch(/^attribute_not_exists\(PK\) OR expiresAt < :now/);
    expect(claim.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    const now = Date.now() / 1000;
    expect(claim.Item!.expiresAt).toBeGreaterThan(now + 24 * 3600 - 5);
    expect(claim.Item!.expiresAt).toBeLessThanOrEqual(now + 24 * 3600 + 1);
    expect(claim.Item!.lockedUntil).toBeLessThan(claim.Item!.expiresAt);

    expect(completion.Item).toMatchObject({ SK: 'IDEM#k-1', status: 'completed', expiresAt: claim.Item!.expiresAt });
    expect(completion.Item!.response.statusCode).toBe(202);
    expect(JSON.parse(completion.Item!.response.body)).toEqual(res.body);
    expect(res.headers).not.toHaveProperty('idempotent-replayed');
  });

  it('replays a completed response with the same status and body, running nothing', async () => {
    const stored = {
      statusCode: 202,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"data":{"first":true},"meta":{"requestId":"req-0"}}',
    };
    ddb.on(PutCommand).rejects(keyTaken({ fingerprint: fingerprintOf(campaignId), status: 'completed', response: stored }));

    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(202);
    expect(res.body).toEqual(JSON.parse(stored.body));
    expect(res.headers['idempotent-replayed']).toBe('true');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(ddb.commandCalls(GetCommand).filter(notQuotaCall)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED when the key came with another request', async () => {
    ddb.on(PutCommand).rejects(
      keyTaken({
        fingerprint: fingerprintOf(otherCampaignId),
        status: 'completed',
        response: { statusCode: 202, headers: {}, body: '{}' },
      }),
    );
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(ddb.commandCalls(GetCommand).filter(notQuotaCall)).toHaveLength(0);
  });

  it('the same key on another route is another request: 422', async () => {
    ddb
      .on(PutCommand)
      .rejects(
        keyTaken({ fingerprint: fingerprintOf(campaignId), status: 'completed', response: { statusCode: 202, headers: {}, body: '{}' } }),
      );
    const res = await call(
      retry,
      apiEvent({
        method: 'POST',
        path: `/campaigns/${campaignId}/retry`,
        pathParameters: { id: campaignId },
        headers: { 'idempotency-key': 'k-1' },
      }),
    );
    expect(res.status).toBe(422);
  });

  it('answers 409 IN_PROGRESS while the first request runs', async () => {
    ddb.on(PutCommand).rejects(keyTaken({ fingerprint: fingerprintOf(campaignId), status: 'in_progress', lockedUntil: 2_000_000_000 }));
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IN_PROGRESS');
    expect(sfn.calls()).toHaveLength(0);
  });

  it('rejects a malformed key with 400 VALIDATION_FAILED naming the header, touching nothing', async () => {
    const res = await call(start, startEvent('x'.repeat(256)));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues).toEqual([{ path: 'header.idempotency-key', message: expect.any(String) }]);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('runs as usual without a key', async () => {
    const res = await call(start, startEvent());
    expect(res.status).toBe(202);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('stores a 4xx business outcome, so the same key answers it again', async () => {
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } }).resolves({});
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(404);
    const completion = ddb.commandCalls(PutCommand)[1].args[0].input.Item!;
    expect(completion).toMatchObject({ status: 'completed', response: { statusCode: 404 } });
    expect(JSON.parse(completion.response.body)).toEqual(res.body);
  });

  it('on a failed workflow start: compensates, answers 503 and releases the key for a retry', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'too many', $metadata: {} }));
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('WORKFLOW_START_FAILED');
    expect(
      ddb
        .commandCalls(UpdateCommand)
        .filter(notQuotaCall)
        .map((c) => c.args[0].input.ExpressionAttributeValues?.[':from0']),
    ).toEqual(['ready_to_start', 'generating']);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input.Key).toEqual({ PK: 'USER#user-1', SK: 'IDEM#k-1' });
  });

  it('releases the key on an unexpected failure too (500)', async () => {
    ddb.on(UpdateCommand).rejects(new Error('socket hang up'));
    allowQuotas(ddb);
    const res = await call(start, startEvent('k-1'));
    expect(res.status).toBe(500);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(1);
  });
});
