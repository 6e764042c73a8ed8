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
import { DEFAULT_MODELS } from '../../shared/ai';
import { permanentWorkflowErrors } from '../../shared/db/workflow-store';
import { readImageSettings } from '../../shared/media/images/config';
import { THUMBNAILS_PER_TASK_CONCURRENCY } from '../../shared/workflow/thumbnail';

// The synthesized definition run by the same local runner as `npm start`, each Task state mapped to
// its handler module through the template's crescendo:entry metadata, against a mocked table.
const context = { region: 'us-east-1', account: '000000000000' };
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
/** The top-level path of a successful run, and the stages each caught into `<Stage>Failed`. */
const PATH = ['LoadContext', 'Research', 'Strategist', 'Planner', 'Weeks', 'Finalize'];
/**
 * What each of those stages records as the failed step: stored as the campaign's failure.step and
 * returned by the API, so it outlives renamed states (the planner's state was PlanPosts).
 */
const FAILED_STEP = ['LoadContext', 'Research', 'Strategist', 'PlanPosts', 'Writing', 'Finalize'];
const TASKS = [
  'LoadContext',
  'Context',
  'Forensics',
  'Strategist',
  'Planner',
  'Writer',
  'Critic',
  'WeekThumbnails',
  'Finalize',
  'MarkFailed',
  'ReplanPlanner',
];

interface State {
  Type: string;
  ItemsPath?: string;
  ItemSelector?: Record<string, string>;
  MaxConcurrency?: number;
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  Branches?: { StartAt: string; States: Record<string, State> }[];
  Resource?: string;
  Next?: string;
  Default?: string;
  Choices?: { Variable: string; IsPresent?: boolean; Next: string }[];
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
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 1000 },
  durationDays: 7,
  startDate: '2026-03-23',
  platforms: [{ platform: 'youtube', postsPerWeek: 2 }],
  profileSnapshot: {
    userName: 'Ana',
    creatorType: 'educator',
    niche: 'personal finance',
    targetAudienceNiche: 'students',
    timeZone: 'Europe/Paris',
  },
  // Nothing reaches an impossible bar: the Choice sends the week back to the Writer until the round limit.
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 11, maxCritiqueRounds: 1 },
  progress: { step: 'queued' },
};
/** The two posts of `header`: youtube on days 1 and 5 at 17:00 Paris time (CET). */
const plannedKeys = [
  { PK: 'USER#user-1', SK: 'CAMP#camp-1#DAY#01#youtube', platform: 'youtube', dueAt: '2026-03-23T16:00:00.000Z' },
  { PK: 'USER#user-1', SK: 'CAMP#camp-1#DAY#05#youtube', platform: 'youtube', dueAt: '2026-03-27T16:00:00.000Z' },
];

/**
 * A small stand-in for the table behind the mocked client: items by key; Get, Put (with
 * attribute_not_exists), Query (key range) and the plain `SET #n = :v` updates the tasks make on
 * content items; other updates (progress, usage) are recorded but not applied.
 */
let table: Map<string, Record<string, any>>;
const keyOf = (item: { PK: string; SK: string }) => `${item.PK}|${item.SK}`;
const conditionalFailure = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function givenCampaign(item: Record<string, unknown> | undefined) {
  table = new Map();
  if (item) table.set(keyOf(campaignKey), { ...campaignKey, ...item });
  const put = (input: { Item?: Record<string, any>; ConditionExpression?: string }) => {
    const exists = table.has(keyOf(input.Item as never));
    if (exists && input.ConditionExpression === 'attribute_not_exists(PK)') throw conditionalFailure();
    table.set(keyOf(input.Item as never), structuredClone(input.Item!));
  };
  const update = (input: {
    Key?: Record<string, any>;
    UpdateExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, any>;
  }) => {
    const target = table.get(keyOf(input.Key as never));
    if (!target || !/^SET #f0 = :f0/.test(input.UpdateExpression!)) return;
    for (const [name, attribute] of Object.entries(input.ExpressionAttributeNames!))
      target[attribute] = structuredClone(input.ExpressionAttributeValues![name.replace('#', ':')]);
  };
  ddb.on(GetCommand).callsFake(({ Key }) => ({ Item: structuredClone(table.get(keyOf(Key))) }));
  ddb.on(PutCommand).callsFake((input) => {
    put(input);
    return {};
  });
  ddb.on(UpdateCommand).callsFake((input) => {
    update(input);
    return {};
  });
  ddb.on(TransactWriteCommand).callsFake(({ TransactItems }) => {
    for (const item of TransactItems) if (item.Put) put(item.Put);
    return {};
  });
  ddb.on(QueryCommand).callsFake(({ ExpressionAttributeValues: values }) => {
    const inRange = (sk: string) =>
      values[':prefix'] !== undefined ? sk.startsWith(values[':prefix']) : sk >= values[':from'] && sk <= values[':to'];
    return { Items: [...table.values()].filter((it) => it.PK === values[':pk'] && inRange(it.SK)).map((it) => structuredClone(it)) };
  });
  s3.on(PutObjectCommand).resolves({});
  s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
}

const updates = () => ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
const writes = () => [...ddb.commandCalls(PutCommand), ...ddb.commandCalls(UpdateCommand), ...ddb.commandCalls(TransactWriteCommand)];
const transactions = () => ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);

describe('the synthesized definition', () => {
  const tasks = () => allStates(asl.States).filter(([, state]) => state.Type === 'Task');

  it('runs LoadContext → Research → Strategist → Planner → Weeks → Finalize → AllWeeksReady? → Done', () => {
    expect(asl.StartAt).toBe('Replan?');
    const path = [asl.States['Replan?']!.Default!];
    while (asl.States[path.at(-1)!].Next) path.push(asl.States[path.at(-1)!].Next!);
    expect(path).toEqual([...PATH, 'AllWeeksReady']);
    expect(asl.States.AllWeeksReady).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.error', IsPresent: true, Next: 'MarkFailed' }],
      Default: 'Done',
    });
    expect(asl.States.Done.Type).toBe('Succeed');
  });

  it('runs a re-plan ($.replan present) through ReplanPlanner into the same Weeks Map and Finalize, its failure caught', () => {
    expect(asl.States['Replan?']).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.replan', IsPresent: true, Next: 'ReplanPlanner' }],
      Default: 'LoadContext',
    });
    expect(asl.States.ReplanPlanner).toMatchObject({ Type: 'Task', Next: 'Weeks' });
    expect(asl.States.ReplanPlanner!.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReplanPlannerFailed' }]);
    expect(asl.States.ReplanPlannerFailed).toMatchObject({
      Type: 'Pass',
      Result: 'ReplanPlanner',
      ResultPath: '$.failedStep',
      Next: 'MarkFailed',
    });
  });

  it('researches the context and the competitors in parallel, keeping the state', () => {
    const research = asl.States.Research;
    expect(research).toMatchObject({ Type: 'Parallel', ResultPath: null });
    expect(research.Branches!.map((branch) => branch.StartAt)).toEqual(['Context', 'Forensics']);
  });

  it('generates the weeks in a Map, 5 at a time, each looping Writer → Critic → CritiqueDone until the bar or the round limit, then its thumbnails', () => {
    expect(asl.States.Weeks).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.batches',
      MaxConcurrency: 5,
      ResultPath: '$.weeks',
      ItemSelector: {
        'userId.$': '$.userId',
        'campaignId.$': '$.campaignId',
        'attempt.$': '$.attempt',
        'week.$': '$$.Map.Item.Value.week',
        round: 0,
      },
      ItemProcessor: { StartAt: 'Writer' },
    });
    const loop = asl.States.Weeks.ItemProcessor!.States as Record<string, any>;
    expect(loop.Writer.Next).toBe('Critic');
    expect(loop.Critic.Next).toBe('CritiqueDone');
    expect(loop.CritiqueDone).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Or: [
            { Variable: '$.minScore', NumericGreaterThanEqualsPath: '$.critiqueBar' },
            { Variable: '$.round', NumericGreaterThanEqualsPath: '$.maxRounds' },
          ],
          Next: 'WeekThumbnails',
        },
      ],
      Default: 'NextRound',
    });
    expect(loop.NextRound).toMatchObject({
      Type: 'Pass',
      Parameters: { 'week.$': '$.week', 'round.$': 'States.MathAdd($.round, 1)' },
      Next: 'Writer',
    });
    expect(loop.WeekThumbnails).toMatchObject({ Type: 'Task', End: true, TimeoutSeconds: 390 });
  });

  it("catches a week's failure inside its iteration: the week's result names it, the other weeks go on", () => {
    const loop = asl.States.Weeks.ItemProcessor!.States as Record<string, any>;
    for (const [task, failed] of [
      ['Writer', 'WeekWritingFailed'],
      ['Critic', 'WeekWritingFailed'],
      ['WeekThumbnails', 'WeekThumbnailsFailed'],
    ]) {
      expect(loop[task].Catch, task).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failed }]);
    }
    expect(loop.WeekWritingFailed).toEqual({
      Type: 'Pass',
      Parameters: { 'week.$': '$.week', step: 'Writing', 'error.$': '$.error' },
      End: true,
    });
    expect(loop.WeekThumbnailsFailed.Parameters.step).toBe('Thumbnails');
  });

  it('gives every Task a timeout and capped, fully jittered retries that skip the permanent errors', () => {
    expect(
      tasks()
        .map(([name]) => name)
        .sort(),
    ).toEqual([...TASKS].sort());
    for (const [name, state] of tasks()) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      const [permanent, ...retried] = state.Retry!;
      expect(permanent, name).toEqual({ ErrorEquals: [...permanentWorkflowErrors], MaxAttempts: 0 });
      expect(
        retried.flatMap((retrier) => retrier.ErrorEquals),
        name,
      ).toEqual(expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException', 'States.TaskFailed']));
      for (const retrier of retried) {
        expect(retrier, name).toMatchObject({
          MaxAttempts: expect.any(Number),
          BackoffRate: 2,
          MaxDelaySeconds: 20,
          JitterStrategy: 'FULL',
        });
      }
    }
    // An agent task outlasts the LLM layer's worst case: its state timeout is above its Lambda's.
    const timeouts = Object.fromEntries(tasks().map(([name, state]) => [name, state.TimeoutSeconds]));
    expect(timeouts).toMatchObject({ Context: 270, Forensics: 270, Strategist: 270, Planner: 810, Writer: 810, Critic: 810 });
  });

  it('catches every stage, records which one failed, then MarkFailed → Failed with the failure it returns', () => {
    for (const [index, step] of PATH.entries()) {
      // The Weeks Map keeps the catch of the stage it was, Writing.
      const caught = step === 'Weeks' ? 'Writing' : step;
      expect(asl.States[step].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: `${caught}Failed` }]);
      expect(asl.States[`${caught}Failed`]).toEqual({
        Type: 'Pass',
        Result: FAILED_STEP[index],
        ResultPath: '$.failedStep',
        Next: 'MarkFailed',
      });
    }
    // Nothing else can fail unnoticed: every top-level state but the failure path itself is caught.
    const uncaught = Object.entries(asl.States).filter(
      ([name, state]) => ['Task', 'Map', 'Parallel'].includes(state.Type) && name !== 'MarkFailed' && !state.Catch,
    );
    expect(uncaught).toEqual([]);
    expect(asl.States.MarkFailed.Next).toBe('Failed');
    expect(asl.States.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.failure.code', CausePath: '$.failure.message' });
  });
});

describe('the task functions', () => {
  const functionsByEntry = (template: Record<string, any>) =>
    Object.fromEntries(
      Object.entries(template.Resources as Record<string, any>)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([id, resource]) => [resource.Metadata?.['crescendo:entry'] as string, { id, ...resource.Properties }]),
    );
  const agentEntries = ['context', 'forensics', 'strategist', 'planner', 'writer', 'critic'].map((name) => `functions/agents/${name}.ts`);

  it("give each agent a Lambda timeout above the LLM layer's worst case (2 models × 3 requests × LLM_TIMEOUT_MS + backoff)", () => {
    const functions = functionsByEntry(synthesizeTemplate());
    for (const entry of agentEntries) {
      const { Timeout, Environment } = functions[entry];
      const worstCaseSeconds = (2 * 3 * Number(Environment.Variables.LLM_TIMEOUT_MS)) / 1000 + 2 * 1.5;
      expect(Timeout, entry).toBeGreaterThan(worstCaseSeconds);
      expect(Timeout, entry).toBeLessThanOrEqual(900);
      expect(Environment.Variables, entry).not.toHaveProperty('GEMINI_API_KEY_SECRET_ARN');
    }
    expect(functions['functions/agents/context.ts']).toMatchObject({
      Timeout: 240,
      Environment: { Variables: { LLM_TIMEOUT_MS: '35000' } },
    });
    expect(functions['functions/agents/writer.ts']).toMatchObject({
      Timeout: 780,
      Environment: { Variables: { LLM_TIMEOUT_MS: '120000' } },
    });
    expect(functions['functions/agents/thumbnail.ts'].Environment.Variables).toHaveProperty('MEDIA_BUCKET_NAME');
  });

  it("give the regeneration worker a timeout above its writer's and critic's worst case plus one image's retry budget", () => {
    const { Timeout, Environment } = functionsByEntry(synthesizeTemplate())['functions/agents/regenerate.ts'];
    const agentWorstCaseSeconds = (2 * 3 * Number(Environment.Variables.LLM_TIMEOUT_MS)) / 1000 + 2 * 1.5;
    expect(Environment.Variables.LLM_TIMEOUT_MS).toBe('35000');
    expect(Timeout).toBeGreaterThan(2 * agentWorstCaseSeconds + 40);
    expect(Timeout).toBeLessThanOrEqual(900);
  });

  it("give the thumbnails a Lambda timeout above a week's worst case, and the Task more than that", () => {
    const { Timeout, MemorySize } = functionsByEntry(synthesizeTemplate())['functions/agents/thumbnail.ts'];
    // 8 platforms × 7 days, THUMBNAILS_PER_TASK_CONCURRENCY at a time, every image spending its whole
    // retry budget (IMAGE_BUDGET_MS) on timeouts, then ≤ 1 s per offline card.
    const posts = 56;
    const worstCaseSeconds = Math.ceil(posts / THUMBNAILS_PER_TASK_CONCURRENCY) * (readImageSettings({}).budgetMs / 1000) + posts * 1;
    expect(Timeout).toBeGreaterThan(worstCaseSeconds);
    expect(Timeout).toBeLessThanOrEqual(900);
    expect(asl.States.Weeks.ItemProcessor!.States.WeekThumbnails.TimeoutSeconds).toBeGreaterThan(Timeout);
    expect(MemorySize).toBe(512);
  });

  it('with a Gemini key secret, let the agents and the thumbnails read that one secret', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crescendo/gemini-AbCdEf';
    const template = synthesizeTemplate({ context: { geminiKeySecretArn: arn } });
    const functions = functionsByEntry(template);
    // Function roles hold their statements as inline policies (infra/function.ts).
    const policies = Object.values(template.Resources as Record<string, any>)
      .filter((resource) => resource.Type === 'AWS::IAM::Role')
      .flatMap((role) => (role.Properties.Policies ?? []) as any[])
      .map((policy) => ({ Properties: policy }));
    for (const entry of [...agentEntries, 'functions/agents/thumbnail.ts', 'functions/agents/regenerate.ts']) {
      expect(functions[entry].Environment.Variables.GEMINI_API_KEY_SECRET_ARN, entry).toBe(arn);
    }
    const readers = policies.filter((policy) =>
      policy.Properties.PolicyDocument.Statement.some(
        (statement: { Action: unknown; Resource: unknown }) =>
          statement.Action === 'secretsmanager:GetSecretValue' && statement.Resource === arn,
      ),
    );
    expect(readers).toHaveLength(agentEntries.length + 3); // + thumbnails, the regeneration and the report workers
    expect(functions['functions/agents/finalize.ts'].Environment.Variables).not.toHaveProperty('GEMINI_API_KEY_SECRET_ARN');
  });
});

describe('the generation settings', () => {
  const functionsOf = (context: Record<string, string>) => {
    const template = synthesizeTemplate({ context });
    return Object.fromEntries(
      Object.values(template.Resources as Record<string, any>)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => [
          resource.Metadata?.['crescendo:entry'] as string,
          (resource.Properties.Environment?.Variables ?? {}) as Record<string, string>,
        ]),
    );
  };
  const llmUsers = ['context', 'forensics', 'strategist', 'planner', 'writer', 'critic', 'regenerate', 'reporter'].map(
    (name) => `functions/agents/${name}.ts`,
  );
  const imageUsers = ['functions/agents/thumbnail.ts', 'functions/agents/regenerate.ts'];
  // Every route that prices a campaign with shared/domain/estimate.ts.
  const estimators = [
    'functions/api/campaign-estimate.ts',
    'functions/api/campaign-start.ts',
    'functions/api/replan-estimate.ts',
    'functions/api/replan-start.ts',
  ];
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:crescendo/gemini-AbCdEf';

  it("give the estimate routes exactly the agents' model chain and image provider, and no one else", () => {
    const functions = functionsOf({ geminiKeySecretArn: arn, llmModels: 'gemini-2.5-flash-lite,offline', imageProvider: 'pollinations' });
    for (const entry of [...llmUsers, ...estimators]) expect(functions[entry].LLM_MODELS, entry).toBe('gemini-2.5-flash-lite,offline');
    for (const entry of [...imageUsers, ...estimators]) expect(functions[entry].IMAGE_PROVIDER, entry).toBe('pollinations');
    const others = Object.keys(functions).filter((entry) => ![...llmUsers, ...imageUsers, ...estimators].includes(entry));
    for (const entry of others) {
      expect(functions[entry], entry).not.toHaveProperty('LLM_MODELS');
      expect(functions[entry], entry).not.toHaveProperty('IMAGE_PROVIDER');
    }
    for (const entry of estimators) expect(functions[entry], entry).not.toHaveProperty('GEMINI_API_KEY_SECRET_ARN');
  });

  it("default to the LLM layer's own chain: the Gemini models with a key, offline without; offline images", () => {
    const withKey = functionsOf({ geminiKeySecretArn: arn });
    const withoutKey = functionsOf({});
    for (const entry of ['functions/agents/writer.ts', ...estimators]) {
      expect(withKey[entry].LLM_MODELS, entry).toBe(DEFAULT_MODELS.join(','));
      expect(withoutKey[entry].LLM_MODELS, entry).toBe('offline');
    }
    for (const entry of ['functions/agents/thumbnail.ts', ...estimators]) expect(withoutKey[entry].IMAGE_PROVIDER, entry).toBe('offline');
  });

  it('refuse a chain naming Gemini models without a key, and an unknown image provider', () => {
    expect(() => functionsOf({ llmModels: 'gemini-2.5-flash,offline' })).toThrow(/no geminiKeySecretArn/);
    expect(() => functionsOf({ imageProvider: 'dall-e' })).toThrow(/imageProvider must be one of/);
  });
});

describe('a run with the real handlers', () => {
  it('researches, plans, writes and critiques in rounds, renders the thumbnails and finishes, passing ids and small fields only', async () => {
    givenCampaign(header);
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    await expect(vi.mocked(handlers.LoadContext).mock.results[0].value).resolves.toEqual({
      ...input,
      timeZone: 'Europe/Paris',
      durationDays: 7,
    });
    expect(handlers.MarkFailed).not.toHaveBeenCalled();

    // Agent outputs, each stored with its input hash.
    for (const agent of [
      'context',
      'forensics',
      'strategy',
      'plan',
      'topics-youtube-w01',
      '~write#w01#r0#c0',
      '~critique#w01#r0',
      '~write#w01#r1#c0',
      '~critique#w01#r1',
    ]) {
      expect(table.get(`USER#user-1|CAMP#camp-1#AGENT#${agent}`), agent).toMatchObject({ agent, attempt: 1, output: expect.anything() });
    }
    // Round 0, then the Choice sent the week back once (bar 11 is out of reach, maxCritiqueRounds 1).
    expect(vi.mocked(handlers.Writer).mock.calls.map(([batch]) => batch)).toEqual([
      { ...input, week: 1, round: 0 },
      { ...input, week: 1, round: 1 },
    ]);
    expect(handlers.Critic).toHaveBeenCalledTimes(2);
    await expect(vi.mocked(handlers.Critic).mock.results[1].value).resolves.toMatchObject({
      week: 1,
      round: 1,
      critiqueBar: 11,
      maxRounds: 1,
    });

    // Each content item is created once, with its planned topic, after the planner answered.
    const puts = ddb
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input)
      .filter((put) => String(put.Item!.SK).includes('#DAY#'));
    expect(puts.map((put) => put.Item!.SK)).toEqual(plannedKeys.map((key) => key.SK));
    expect(puts[0]).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: {
        campaignId: 'camp-1',
        day: 1,
        platform: 'youtube',
        date: '2026-03-23',
        localTime: '17:00',
        dueAt: plannedKeys[0].dueAt,
        format: 'video',
        pillar: expect.any(String),
        topic: expect.any(String),
        angle: expect.any(String),
        approval: { state: 'pending' },
        version: 1,
        revisions: [],
      },
    });
    for (const key of plannedKeys) {
      expect(table.get(keyOf(key))).toMatchObject({
        topic: expect.any(String),
        title: expect.any(String),
        post: expect.any(String),
        critique: { score: expect.any(Number), reasons: expect.any(Array), rounds: 2 },
      });
    }

    const [context] = updates();
    expect(context.ExpressionAttributeValues).toMatchObject({
      ':s0': { step: 'context' },
      ':attempt': 1,
      ':zeroUsage': { llmCalls: 0, images: 0, costMicroUsd: 0 },
    });
    expect(context.UpdateExpression).toContain('#usage = if_not_exists(#usage, :zeroUsage)');

    // Usage: every stored agent output added its call in the same transaction; the batch's end its counts.
    const headerAdds = transactions().flatMap((items) =>
      items.filter((item) => item.Update?.Key?.SK === campaignKey.SK).map((item) => item.Update!),
    );
    const llmCalls = headerAdds
      .filter((add) => add.UpdateExpression!.includes('#usage.llmCalls'))
      .map((add) => add.ExpressionAttributeValues![':u0']);
    expect(llmCalls).toEqual(Array(8).fill(1)); // context, forensics, strategist, planner, then 2 rounds × (writer + critic)
    const batchEnd = headerAdds.filter((add) => Object.values(add.ExpressionAttributeNames!).includes('batchesDone'));
    expect(batchEnd).toEqual([
      expect.objectContaining({
        UpdateExpression: 'ADD progress.#c0 :c0, progress.#c1 :c1, progress.#c2 :c2',
        ExpressionAttributeNames: { '#c0': 'batchesDone', '#c1': 'postsDone', '#c2': 'critiqueRounds' },
        ExpressionAttributeValues: { ':c0': 1, ':c1': 2, ':c2': 2 },
      }),
    ]);

    // One thumbnail per post, stored under the campaign's media prefix, recorded with its usage.
    const objects = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(objects.map((object) => object.Key).sort()).toEqual([
      'users/user-1/campaigns/camp-1/thumbnails/01-youtube.png',
      'users/user-1/campaigns/camp-1/thumbnails/05-youtube.png',
    ]);
    expect(objects[0]).toMatchObject({ Bucket: 'crescendo-media', ContentType: 'image/png' });
    const images = headerAdds.filter((add) => add.UpdateExpression === 'ADD #usage.images :u0');
    expect(images).toHaveLength(2);

    // The week is ready: its posts due-indexed and stamped, the week listed.
    const indexed = updates().filter((update) => update.UpdateExpression === 'SET GSI1PK = :duePk, GSI1SK = :dueSk, readyAt = :readyAt');
    expect(indexed.map((update) => update.ExpressionAttributeValues![':dueSk'])).toEqual([
      '16:00#user-1#camp-1#youtube',
      '16:00#user-1#camp-1#youtube',
    ]);
    expect(indexed[0].ExpressionAttributeValues![':duePk']).toMatch(/^DUE#2026-03-23#\d\d$/);
    expect(
      updates().find((update) => update.UpdateExpression!.startsWith('SET progress.weeksReady'))!.ExpressionAttributeValues,
    ).toMatchObject({
      ':week': [1],
    });
    const finish = updates().at(-1)!;
    expect(finish.ExpressionAttributeValues).toMatchObject({
      ':from0': 'generating',
      ':expected': 3,
      ':s0': { step: 'ready', postsTotal: 2, postsDone: 2 },
    });
    expect(Object.values(finish.ExpressionAttributeValues!)).toContain('in_progress');
  });

  it('a week whose posts all reach the bar is done after one round', async () => {
    givenCampaign({ ...header, agentConfig: { ...header.agentConfig, critiqueBar: 0 } });
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(handlers.Writer).toHaveBeenCalledTimes(1);
    expect(handlers.Critic).toHaveBeenCalledTimes(1);
  });

  it('keeps content items that exist already (a re-run never overwrites an edit)', async () => {
    givenCampaign(header);
    table.set(keyOf(plannedKeys[0]), {
      ...plannedKeys[0],
      day: 1,
      format: 'video',
      title: 'Mine',
      date: '2026-03-23',
      localTime: '12:00',
      version: 2,
    });
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(handlers.Planner).toHaveBeenCalledTimes(1);
    expect(table.get(keyOf(plannedKeys[0]))).toMatchObject({ title: 'Mine', version: 2 });
    expect(table.get(keyOf(plannedKeys[0]))!.post).toBeUndefined();
  });

  it('retries a transient failure of a task, which is safe because every task is idempotent', async () => {
    givenCampaign(header);
    // The first content put is throttled once; the fake table serves the rest.
    const flaky = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    let failed = false;
    ddb.on(PutCommand).callsFake((input) => {
      if (!failed && String(input.Item.SK).includes('#DAY#')) {
        failed = true;
        throw flaky;
      }
      const exists = table.has(keyOf(input.Item));
      if (exists && input.ConditionExpression === 'attribute_not_exists(PK)') throw conditionalFailure();
      table.set(keyOf(input.Item), structuredClone(input.Item));
      return {};
    });
    await expect(run(input)).resolves.toEqual({ ...input, postsTotal: 2 });
    expect(handlers.Planner).toHaveBeenCalledTimes(2);
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
    await expect(failureOf(input)).resolves.toEqual({
      name: 'StaleAttempt',
      message: "Attempt 1 is not campaign camp-1's current attempt (2)",
    });
    expect(handlers.LoadContext).toHaveBeenCalledTimes(1);
    expect(handlers.MarkFailed).toHaveBeenCalledWith(
      expect.objectContaining({ failedStep: 'LoadContext', error: expect.objectContaining({ Error: 'StaleAttempt' }) }),
    );
    expect(writes()).toEqual([]);
  });

  it('a campaign that cannot be planned fails at the Strategist, once, and is marked failed with that step', async () => {
    givenCampaign({ ...header, durationDays: 0 });
    const failure = await failureOf(input);
    expect(failure.name).toBe('InvalidCampaign');
    expect(failure.message).toMatch(/durationDays/);
    expect(handlers.Strategist).toHaveBeenCalledTimes(1);
    expect(handlers.Planner).not.toHaveBeenCalled();
    const fail = updates().at(-1)!;
    expect(fail.ConditionExpression).toContain('version = :expected');
    expect(Object.values(fail.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining([
        'failed',
        expect.objectContaining({ step: 'Strategist', code: 'InvalidCampaign', message: failure.message }),
      ]),
    );
  });

  it('a failure at the Planner state is stored as step PlanPosts, the name the API has always returned', async () => {
    givenCampaign(header);
    vi.mocked(handlers.Planner).mockRejectedValueOnce(Object.assign(new Error('no strategy'), { name: 'MissingAgentOutput' }));
    await expect(failureOf(input)).resolves.toEqual({ name: 'MissingAgentOutput', message: 'no strategy' });
    expect(handlers.MarkFailed).toHaveBeenCalledWith(expect.objectContaining({ failedStep: 'PlanPosts' }));
    expect(Object.values(updates().at(-1)!.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining(['failed', expect.objectContaining({ step: 'PlanPosts', code: 'MissingAgentOutput' })]),
    );
  });

  it("a week's failure ends that week; Finalize fails the campaign at the week's step, naming it", async () => {
    givenCampaign(header);
    vi.mocked(handlers.Critic).mockRejectedValueOnce(Object.assign(new Error('no strategy'), { name: 'MissingAgentOutput' }));
    const failure = await failureOf(input);
    expect(failure).toEqual({
      name: 'MissingAgentOutput',
      message: expect.stringMatching(/^week 1 failed \(MissingAgentOutput: no strategy\)/),
    });
    expect(handlers.Critic).toHaveBeenCalledTimes(1); // a permanent error is not retried
    expect(handlers.WeekThumbnails).not.toHaveBeenCalled();
    expect(handlers.Finalize).toHaveBeenCalledWith(
      expect.objectContaining({ weeks: [{ week: 1, step: 'Writing', error: expect.objectContaining({ Error: 'MissingAgentOutput' }) }] }),
    );
    expect(handlers.MarkFailed).toHaveBeenCalledWith(
      expect.objectContaining({ failedStep: 'Writing', error: expect.objectContaining({ Error: 'MissingAgentOutput' }) }),
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
    await expect(failed({ Error: 'Boom', Cause: lambdaCause })).resolves.toMatchObject({
      failure: { step: 'PlanPosts', code: 'Boom', message: 'it broke' },
    });
    await expect(failed({ Error: 'States.Timeout', Cause: 'Task timed out' })).resolves.toMatchObject({
      failure: { code: 'States.Timeout', message: 'Task timed out' },
    });
    await expect(failed({ Error: 'States.TaskFailed' })).resolves.toMatchObject({
      failure: { code: 'States.TaskFailed', message: 'States.TaskFailed' },
    });
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
