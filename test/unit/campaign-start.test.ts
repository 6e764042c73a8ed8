import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, ExecutionLimitExceeded, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as retry } from '../../functions/api/campaign-retry';
import { handler as start } from '../../functions/api/campaign-start';
import { executionArn, executionName } from '../../shared/app/start-campaign';
import { startResponseSchema } from '../../shared/schemas/campaign';
import { apiEvent, call } from '../support/api-event';
import { allowQuotas, notQuotaCall } from '../support/quotas';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const campaignId = '3f1c2a9e-7b4d-4c1e-9a2b-5d6e7f8a9b0c';
const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:test';
const header = {
  PK: 'USER#user-1',
  SK: `CAMP#${campaignId}`,
  GSI1PK: 'CAMPAIGNS#user-1',
  GSI1SK: `2026-01-01T00:00:00.000Z#${campaignId}`,
  userId: 'user-1',
  campaignId,
  name: 'Spring push',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 1000 },
  durationDays: 30,
  startDate: '2026-03-01',
  platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
  status: 'ready_to_start',
  version: 4,
  attempt: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
};
const profile = {
  PK: 'USER#user-1',
  SK: 'PROFILE',
  userId: 'user-1',
  userName: 'Ada',
  niche: 'finance',
  timeZone: 'Europe/Paris',
  version: 2,
};
const memory = { PK: 'USER#user-1', SK: 'MEM#followers#youtube#c-0', whatWorked: ['shorts'], recommendations: ['post at 18:00'] };

/** The UpdateItem answer: the stored item after the SETs of the transition. */
function afterTransition(status: string, extra: Record<string, unknown> = {}) {
  ddb.on(UpdateCommand).callsFake(({ ExpressionAttributeNames, ExpressionAttributeValues }) => {
    const set = Object.fromEntries(
      Object.entries(ExpressionAttributeNames as Record<string, string>)
        .filter(([placeholder]) => /^#s\d+$/.test(placeholder))
        .map(([placeholder, name]) => [name, ExpressionAttributeValues[`:${placeholder.slice(1)}`]]),
    );
    const removed = Object.entries(ExpressionAttributeNames as Record<string, string>)
      .filter(([placeholder]) => /^#rm\d+$/.test(placeholder))
      .map(([, name]) => name);
    const attributes: Record<string, unknown> = {
      ...header,
      ...extra,
      ...set,
      status,
      version: Number(extra.version ?? header.version) + 1,
    };
    for (const name of removed) delete attributes[name];
    return { Attributes: attributes };
  });
}

const conditionFailed = (item: Record<string, unknown>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: marshall(item) });

const startEvent = (headers: Record<string, string> = {}) =>
  apiEvent({ method: 'POST', path: `/campaigns/${campaignId}/start`, pathParameters: { id: campaignId }, headers });
const retryEvent = () => apiEvent({ method: 'POST', path: `/campaigns/${campaignId}/retry`, pathParameters: { id: campaignId } });

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } }).resolves({ Item: header });
  ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: 'PROFILE' } }).resolves({ Item: profile });
  ddb.on(QueryCommand).resolves({ Items: [memory] });
  allowQuotas(ddb);
  sfn
    .on(StartExecutionCommand)
    .resolves({ executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${campaignId}-a1`, startDate: new Date() });
});

describe('execution naming', () => {
  it('derives the name from the campaign and the attempt, within the 80-character limit', () => {
    expect(executionName(campaignId, 12)).toBe(`${campaignId}-a12`);
    expect(executionName(campaignId, 12).length).toBeLessThanOrEqual(80);
  });

  it('derives the execution ARN from the state machine ARN', () => {
    expect(executionArn('arn:aws:states:eu-west-1:123456789012:stateMachine:Campaign', 'c-a1')).toBe(
      'arn:aws:states:eu-west-1:123456789012:execution:Campaign:c-a1',
    );
    expect(() => executionArn('arn:aws:lambda:eu-west-1:123456789012:function:f', 'c-a1')).toThrow('Not a state machine ARN');
  });
});

describe('POST /campaigns/{id}/start', () => {
  it('reads campaign, profile and insights, transitions once on the read version, then starts the named execution', async () => {
    afterTransition('generating');
    const res = await call(start, startEvent());

    expect(res.status).toBe(202);
    const execution = {
      name: `${campaignId}-a1`,
      arn: `arn:aws:states:us-east-1:000000000000:execution:test:${campaignId}-a1`,
      attempt: 1,
      startedAt: expect.any(String),
      leaseUntil: expect.any(String),
    };
    expect(res.body.data.execution).toEqual(execution);
    // The lease: WORKFLOW_TIMEOUT_SECONDS (7200 in the unit tests) plus 5 minutes after the start.
    expect(Date.parse(res.body.data.execution.leaseUntil) - Date.parse(res.body.data.execution.startedAt)).toBe((7200 + 300) * 1000);
    expect(res.body.data.campaign).toMatchObject({
      campaignId,
      status: 'generating',
      version: 5,
      attempt: 1,
      execution,
      progress: { step: 'queued' },
    });
    expect(res.body.data.campaign).not.toHaveProperty('userId');
    expect(res.body.data.campaign).not.toHaveProperty('profileSnapshot');
    expect(res.body.data.campaign).not.toHaveProperty('insights');
    expect(startResponseSchema.safeParse(res.body.data).success).toBe(true);

    const [campaignRead, profileRead] = ddb
      .commandCalls(GetCommand)
      .filter(notQuotaCall)
      .map((c) => c.args[0].input);
    expect(campaignRead).toMatchObject({ Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` }, ConsistentRead: true });
    expect(profileRead.Key).toEqual({ PK: 'USER#user-1', SK: 'PROFILE' });
    expect(ddb.commandCalls(QueryCommand).filter(notQuotaCall)[0].args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': 'USER#user-1', ':prefix': 'MEM#' },
    });

    const updates = ddb.commandCalls(UpdateCommand).filter(notQuotaCall);
    expect(updates).toHaveLength(1);
    const update = updates[0].args[0].input;
    expect(update.ConditionExpression).toContain('version = :expected');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':expected': 4, ':from0': 'ready_to_start' });
    const written = Object.values(update.ExpressionAttributeValues!);
    expect(written).toContainEqual({ userId: 'user-1', userName: 'Ada', niche: 'finance', timeZone: 'Europe/Paris', version: 2 });
    expect(written).toContainEqual([
      {
        memory: 'MEM#followers#youtube#c-0',
        goalType: 'followers',
        platform: 'youtube',
        whatWorked: ['shorts'],
        recommendations: ['post at 18:00'],
      },
    ]);

    const startCall = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(startCall).toEqual({
      stateMachineArn,
      name: `${campaignId}-a1`,
      input: JSON.stringify({ userId: 'user-1', campaignId, attempt: 1 }),
    });
  });

  it('answers 404 CAMPAIGN_NOT_FOUND for an unknown campaign, starting nothing', async () => {
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } }).resolves({});
    const res = await call(start, startEvent());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    expect(ddb.commandCalls(UpdateCommand).filter(notQuotaCall)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 404 PROFILE_NOT_FOUND before onboarding, writing nothing', async () => {
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: 'PROFILE' } }).resolves({});
    const res = await call(start, startEvent());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('PROFILE_NOT_FOUND');
    expect(ddb.commandCalls(UpdateCommand).filter(notQuotaCall)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a second start is 409 CAMPAIGN_STATE_CONFLICT, decided from the item the failed condition returns', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed({ ...header, status: 'generating', version: 5, attempt: 1 }));
    allowQuotas(ddb);
    const res = await call(start, startEvent());
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'generating' } });
    expect(ddb.commandCalls(GetCommand).filter(notQuotaCall)).toHaveLength(2);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('re-reads and transitions again when an edit moved the version in between', async () => {
    ddb.on(UpdateCommand).callsFake(({ ExpressionAttributeValues }) => {
      if (ExpressionAttributeValues[':expected'] === 4) throw conditionFailed({ ...header, version: 5 });
      return { Attributes: { ...header, status: 'generating', version: ExpressionAttributeValues[':expected'] + 1 } };
    });
    allowQuotas(ddb);
    ddb
      .on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } })
      .resolvesOnce({ Item: header })
      .resolves({ Item: { ...header, version: 5 } });
    const res = await call(start, startEvent());
    expect(res.status).toBe(202);
    expect(
      ddb
        .commandCalls(UpdateCommand)
        .filter(notQuotaCall)
        .map((c) => c.args[0].input.ExpressionAttributeValues?.[':expected']),
    ).toEqual([4, 5]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('treats ExecutionAlreadyExists as this attempt already running', async () => {
    afterTransition('generating');
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));
    const res = await call(start, startEvent());
    expect(res.status).toBe(202);
    expect(ddb.commandCalls(UpdateCommand).filter(notQuotaCall)).toHaveLength(1);
  });

  it('marks the campaign failed on the version it wrote and answers 503 when Step Functions refuses', async () => {
    afterTransition('generating');
    sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'too many', $metadata: {} }));
    const res = await call(start, startEvent());

    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('WORKFLOW_START_FAILED');
    const [, compensation] = ddb
      .commandCalls(UpdateCommand)
      .filter(notQuotaCall)
      .map((c) => c.args[0].input);
    expect(compensation.ExpressionAttributeValues).toMatchObject({ ':expected': 5, ':from0': 'generating', ':s1': 'failed' });
    expect(compensation.ExpressionAttributeValues![':s0']).toEqual({
      step: 'start',
      code: 'WORKFLOW_START_FAILED',
      message: 'Step Functions did not start the workflow (ExecutionLimitExceeded)',
      at: expect.any(String),
    });
  });
});

describe('POST /campaigns/{id}/retry', () => {
  const failed = {
    ...header,
    status: 'failed',
    version: 7,
    attempt: 2,
    profileSnapshot: { niche: 'finance' },
    failure: { step: 'plan', code: 'X', message: 'x', at: '2026-01-03T00:00:00.000Z' },
  };

  it('starts attempt n+1 under a new name, clears the failure, keeps the snapshot, reads no profile', async () => {
    ddb.on(GetCommand, { Key: { PK: 'USER#user-1', SK: `CAMP#${campaignId}` } }).resolves({ Item: failed });
    afterTransition('generating', failed);
    const res = await call(retry, retryEvent());

    expect(res.status).toBe(202);
    expect(res.body.data.execution).toMatchObject({ name: `${campaignId}-a3`, attempt: 3 });
    expect(res.body.data.campaign).toMatchObject({ status: 'generating', attempt: 3, version: 8 });
    expect(res.body.data.campaign).not.toHaveProperty('failure');
    expect(startResponseSchema.safeParse(res.body.data).success).toBe(true);

    const update = ddb.commandCalls(UpdateCommand).filter(notQuotaCall)[0].args[0].input;
    expect(update.ExpressionAttributeValues).toMatchObject({ ':expected': 7, ':from0': 'failed' });
    expect(update.UpdateExpression).toMatch(/ REMOVE #rm0$/);
    expect(update.ExpressionAttributeNames).toMatchObject({ '#rm0': 'failure' });
    const setNames = Object.values(update.ExpressionAttributeNames!);
    expect(setNames).not.toContain('profileSnapshot');
    expect(ddb.commandCalls(GetCommand).filter(notQuotaCall)).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand).filter(notQuotaCall)).toHaveLength(0);
    expect(JSON.parse(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.input!)).toEqual({
      userId: 'user-1',
      campaignId,
      attempt: 3,
    });
  });

  it('refuses a campaign that has not failed with 409', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed({ ...header, status: 'generating', version: 5 }));
    const res = await call(retry, retryEvent());
    expect(res.status).toBe(409);
    expect(res.body.error.details.currentStatus).toBe('generating');
    expect(sfn.calls()).toHaveLength(0);
  });
});
