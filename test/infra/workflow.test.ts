import { join } from 'node:path';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { functionEntries, stateMachinesFromTemplate } from '../../infra/asl';
import { REPO_ROOT } from '../../infra/function';
import { synthesizeTemplate } from '../../infra/synth';
import { permanentWorkflowErrors } from '../../shared/db/workflow-store';

// The synthesized definition run by the same local runner as `npm start`, each Task state mapped to
// its handler module through the template's crescendo:entry metadata, against a mocked table.
const context = { region: 'us-east-1', account: '000000000000' };
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
/** The top-level path of a successful run, and the stages each caught into `<Stage>Failed`. */
const PATH = ['LoadContext', 'PlanPosts', 'Thumbnails', 'Finalize'];
const TASKS = ['LoadContext', 'PlanPosts', 'Thumbnail', 'Finalize', 'MarkFailed'];

interface State {
  Type: string;
  ItemsPath?: string;
  ItemSelector?: Record<string, string>;
  MaxConcurrency?: number;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  Branches?: { StartAt: string; States: Record<string, State> }[];
  Resource?: string;
  Next?: string;
  End?: boolean;
  TimeoutSeconds?: number;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; MaxDelaySeconds?: number; JitterStrategy?: string; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  Result?: unknown;
  ResultPath?: string;
  ErrorPath?: string;
  CausePath?: string;
}

let asl: { StartAt: string; States: Record<string, State> };
let machine: StateMachine;
let handlers: Record<string, (input: any) => Promise<any>>;

/** Every state, those inside Map item processors and Parallel branches included. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, State],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : []),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'crescendo-test');
  vi.stubEnv('MEDIA_BUCKET_NAME', 'crescendo-media');
  const template = synthesizeTemplate();
  const [{ definition }] = stateMachinesFromTemplate(template, context);
  asl = definition as typeof asl;
  const entries = functionEntries(template, context);
  handlers = {};
  for (const [name, state] of allStates(asl.States)) {
    if (state.Type !== 'Task') continue;
    const module = (await import(join(REPO_ROOT, entries.get(state.Resource!)!))) as { handler: (input: unknown) => Promise<unknown> };
    handlers[name] = vi.fn(module.handler);
  }
  machine = new StateMachine(structuredClone(asl) as unknown as StateMachineDefinition);
});
beforeEach(() => {
  ddb.reset();
  s3.reset();
  for (const handler of Object.values(handlers)) vi.mocked(handler).mockClear();
});

const run = (input: object) =>
  machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((name) => [name, 1])),
    },
  }).result;
const failureOf = async (input: object) => {
  const error = await run(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExecutionError);
  const { name, message } = (error as ExecutionError).cause as Error;
  return { name, message };
};

const input = { userId: 'user-1', campaignId: 'camp-1', attempt: 1 };
const campaignKey = { PK: 'USER#user-1', SK: 'CAMP#camp-1' };
const header = {
  ...campaignKey,
  userId: 'user-1',
  campaignId: 'camp-1',
  status: 'generating',
  attempt: 1,
  version: 3,
  durationDays: 7,
  startDate: '2026-03-23',
  platforms: [{ platform: 'youtube', postsPerWeek: 2 }],
  profileSnapshot: { timeZone: 'Europe/Paris', niche: 'personal finance' },
};
/** The two posts of `header`: youtube on days 1 and 5 at 17:00 Paris time (CET). */
const plannedKeys = [
  { PK: 'USER#user-1', SK: 'CAMP#camp-1#DAY#01#youtube', platform: 'youtube', dueAt: '2026-03-23T16:00:00.000Z' },
  { PK: 'USER#user-1', SK: 'CAMP#camp-1#DAY#05#youtube', platform: 'youtube', dueAt: '2026-03-27T16:00:00.000Z' },
];

function givenCampaign(item: Record<string, unknown> | undefined) {
  ddb.on(GetCommand).callsFake(({ Key }: { Key: { SK: string } }) => {
    if (Key.SK === campaignKey.SK) return { Item: item };
    const planned = plannedKeys.find((key) => key.SK === Key.SK);
    return { Item: planned && { ...planned, day: Number(planned.SK.split('#')[3]), topic: 'Budgeting basics' } };
  });
  ddb.on(QueryCommand).resolves({ Items: plannedKeys });
  ddb.on(PutCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
}

const updates = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
const writes = () => [...ddb.commandCalls(PutCommand), ...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(TransactWriteCommand)];

describe('the synthesized definition', () => {
  const tasks = () => allStates(asl.States).filter(([, state]) => state.Type === 'Task');

  it('runs LoadContext → PlanPosts → Thumbnails → Finalize → Done', () => {
    const path = [asl.StartAt];
    while (asl.States[path.at(-1)!].Next) path.push(asl.States[path.at(-1)!].Next!);
    expect(path).toEqual([...PATH, 'Done']);
    expect(asl.States.Done.Type).toBe('Succeed');
  });

  it('renders the thumbnails in a Map over the planned posts, 8 at a time, passing ids only and keeping the state', () => {
    expect(asl.States.Thumbnails).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.posts',
      MaxConcurrency: 8,
      ResultPath: null,
      ItemSelector: {
        'userId.$': '$.userId',
        'campaignId.$': '$.campaignId',
        'attempt.$': '$.attempt',
        'day.$': '$$.Map.Item.Value.day',
        'platform.$': '$$.Map.Item.Value.platform',
      },
      ItemProcessor: { StartAt: 'Thumbnail' },
    });
    expect(asl.States.Thumbnails.ItemProcessor!.States.Thumbnail).toMatchObject({ Type: 'Task', End: true });
  });

  it('gives every Task a timeout and capped, fully jittered retries that skip the permanent errors', () => {
    expect(tasks().map(([name]) => name).sort()).toEqual([...TASKS].sort());
    for (const [name, state] of tasks()) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      const [permanent, ...retried] = state.Retry!;
      expect(permanent, name).toEqual({ ErrorEquals: [...permanentWorkflowErrors], MaxAttempts: 0 });
      expect(retried.flatMap((retrier) => retrier.ErrorEquals), name).toEqual(
        expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'States.TaskFailed']),
      );
      for (const retrier of retried) {
        expect(retrier, name).toMatchObject({ MaxAttempts: expect.any(Number), BackoffRate: 2, MaxDelaySeconds: 20, JitterStrategy: 'FULL' });
      }
    }
  });

  it('catches every stage, records which one failed, then MarkFailed → Failed with the failure it returns', () => {
    for (const step of PATH) {
      expect(asl.States[step].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${step}Failed` }]);
      expect(asl.States[`${step}Failed`]).toEqual({ Type: 'Pass', Result: step, ResultPath: '$.failedStep', Next: 'MarkFailed' });
    }
    // Nothing else can fail unnoticed: every top-level state but the failure path itself is caught.
    const uncaught = Object.entries(asl.States).filter(([name, state]) => ['Task', 'Map', 'Parallel'].includes(state.Type) && name !== 'MarkFailed' && !state.Catch);
    expect(uncaught).toEqual([]);
    expect(asl.States.MarkFailed.Next).toBe('Failed');
    expect(asl.States.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.failure.code', CausePath: '$.failure.message' });
  });
});

describe('a run with the real handlers', () => {
  it('plans the posts, indexes them and finishes the campaign, passing ids and small fields only', async () => {
    givenCampaign(header);
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    await expect(vi.mocked(handlers.LoadContext).mock.results[0].value).resolves.toEqual({ ...input, timeZone: 'Europe/Paris', durationDays: 7 });

    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.Item!.SK)).toEqual([...plannedKeys.map((key) => key.SK), 'CAMP#camp-1#AGENT#plan']);
    expect(puts[0]).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { campaignId: 'camp-1', day: 1, platform: 'youtube', date: '2026-03-23', localTime: '17:00', dueAt: plannedKeys[0].dueAt, format: 'video', approval: { state: 'pending' }, version: 1, revisions: [] },
    });
    expect(puts[0].Item).not.toHaveProperty('GSI1PK');
    expect(puts[2].Item).toMatchObject({ agent: 'plan', attempt: 1, output: { posts: 2, perPlatform: { youtube: 2 }, timesSource: 'platform-default' } });

    const [context, plan, ...rest] = updates();
    expect(context.ExpressionAttributeValues).toMatchObject({ ':s0': { step: 'context' }, ':attempt': 1, ':zeroUsage': { llmCalls: 0, images: 0, costMicroUsd: 0 } });
    expect(context.UpdateExpression).toContain('#usage = if_not_exists(#usage, :zeroUsage)');
    expect(plan.ExpressionAttributeValues).toMatchObject({ ':s0': { step: 'plan', postsTotal: 2 } });

    // One thumbnail per post, stored under the campaign's media prefix, recorded with its usage.
    const objects = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(objects.map((object) => object.Key).sort()).toEqual([
      'users/user-1/campaigns/camp-1/thumbnails/01-youtube.png',
      'users/user-1/campaigns/camp-1/thumbnails/05-youtube.png',
    ]);
    expect(objects[0]).toMatchObject({ Bucket: 'crescendo-media', ContentType: 'image/png' });
    const recorded = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);
    expect(recorded).toHaveLength(2);
    for (const [content, header] of recorded) {
      expect(content.Update!.UpdateExpression).toBe('SET thumbnailKey = :key, thumbnailHash = :hash, thumbnailProvider = :provider');
      expect(header.Update).toMatchObject({ Key: campaignKey, UpdateExpression: 'ADD #usage.images :u0', ExpressionAttributeValues: { ':u0': 1 } });
    }
    const indexed = rest.filter((update) => update.UpdateExpression === 'SET GSI1PK = :duePk, GSI1SK = :dueSk');
    expect(indexed.map((update) => update.ExpressionAttributeValues![':dueSk'])).toEqual([
      '16:00#user-1#camp-1#youtube',
      '16:00#user-1#camp-1#youtube',
    ]);
    expect(indexed[0].ExpressionAttributeValues![':duePk']).toMatch(/^DUE#2026-03-23#\d\d$/);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true, ExpressionAttributeValues: { ':prefix': 'CAMP#camp-1#DAY#' } });
    const finish = rest.at(-1)!;
    expect(finish.ExpressionAttributeValues).toMatchObject({ ':from0': 'generating', ':expected': 3, ':s0': { step: 'ready', postsTotal: 2, postsDone: 2 } });
    expect(Object.values(finish.ExpressionAttributeValues!)).toContain('in_progress');
    expect(handlers.MarkFailed).not.toHaveBeenCalled();
  });

  it('keeps content items that exist already (a re-run never overwrites an edit)', async () => {
    givenCampaign(header);
    ddb.on(PutCommand, { Item: { day: 1 } }).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(handlers.PlanPosts).toHaveBeenCalledTimes(1);
  });

  it('retries a transient failure of a task, which is safe because every task is idempotent', async () => {
    givenCampaign(header);
    ddb.on(PutCommand).rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })).resolves({});
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(handlers.PlanPosts).toHaveBeenCalledTimes(2);
  });

  it('a finalized attempt run again is a successful no-op from Finalize', async () => {
    givenCampaign({ ...header, status: 'in_progress', progress: { step: 'ready', postsTotal: 2, postsDone: 2 } });
    await expect(handlers.Finalize(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(writes()).toEqual([]);
  });
});

describe('failures', () => {
  it('a stale attempt fails with StaleAttempt and writes nothing, not even the failure', async () => {
    givenCampaign({ ...header, attempt: 2 });
    await expect(failureOf(input)).resolves.toEqual({ name: 'StaleAttempt', message: "Attempt 1 is not campaign camp-1's current attempt (2)" });
    expect(handlers.LoadContext).toHaveBeenCalledTimes(1);
    expect(handlers.MarkFailed).toHaveBeenCalledWith(expect.objectContaining({ failedStep: 'LoadContext', error: expect.objectContaining({ Error: 'StaleAttempt' }) }));
    expect(writes()).toEqual([]);
  });

  it('a campaign that cannot be planned fails at PlanPosts, once, and is marked failed with that step', async () => {
    givenCampaign({ ...header, durationDays: 0 });
    const failure = await failureOf(input);
    expect(failure.name).toBe('InvalidCampaign');
    expect(failure.message).toMatch(/durationDays/);
    expect(handlers.PlanPosts).toHaveBeenCalledTimes(1);
    const fail = updates().at(-1)!;
    expect(fail.ConditionExpression).toContain('version = :expected');
    expect(Object.values(fail.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining(['failed', expect.objectContaining({ step: 'PlanPosts', code: 'InvalidCampaign', message: failure.message })]),
    );
  });

  it('a missing campaign fails with CampaignNotFound', async () => {
    givenCampaign(undefined);
    await expect(failureOf(input)).resolves.toMatchObject({ name: 'CampaignNotFound' });
    expect(writes()).toEqual([]);
  });

  it('rejects an invalid input as InvalidWorkflowInput without touching the table', async () => {
    const failure = await failureOf({ userId: 'user-1', attempt: 'first' });
    expect(failure.name).toBe('InvalidWorkflowInput');
    expect(failure.message).toMatch(/campaignId/);
    expect(ddb.calls()).toEqual([]);
  });
});

describe('MarkFailed', () => {
  it('takes the message out of a Lambda error cause (JSON) and keeps plain causes as they are', async () => {
    const lambdaCause = JSON.stringify({ errorType: 'Boom', errorMessage: 'it broke', trace: [] });
    const failed = (error: object) => handlers.MarkFailed({ failedStep: 'PlanPosts', error });
    await expect(failed({ Error: 'Boom', Cause: lambdaCause })).resolves.toMatchObject({ failure: { step: 'PlanPosts', code: 'Boom', message: 'it broke' } });
    await expect(failed({ Error: 'States.Timeout', Cause: 'Task timed out' })).resolves.toMatchObject({ failure: { code: 'States.Timeout', message: 'Task timed out' } });
    await expect(failed({ Error: 'States.TaskFailed' })).resolves.toMatchObject({ failure: { code: 'States.TaskFailed', message: 'States.TaskFailed' } });
  });

  it('leaves a campaign that is no longer generating alone and never throws for it', async () => {
    givenCampaign({ ...header, status: 'failed' });
    await expect(handlers.MarkFailed({ ...input, failedStep: 'Finalize', error: { Error: 'Boom' } })).resolves.toMatchObject({
      ...input,
      recorded: false,
      failure: { step: 'Finalize', code: 'Boom', message: 'Boom', at: expect.any(String) },
    });
    expect(writes()).toEqual([]);
  });
});
