import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { startLocalStepFunctions, type LocalStepFunctions } from '../../dev/stepfunctions';

const ARN_PREFIX = 'arn:aws:states:us-east-1:000000000000';
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pipelineDefinition = {
  StartAt: 'Stats',
  States: {
    Stats: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Sum', States: { Sum: { Type: 'Task', Resource: fn('sum'), InputPath: '$.items', End: true } } },
        { StartAt: 'Max', States: { Max: { Type: 'Task', Resource: fn('max'), InputPath: '$.items', End: true } } },
      ],
      ResultPath: '$.stats',
      Next: 'SquareEach',
    },
    SquareEach: {
      Type: 'Map',
      ItemsPath: '$.items',
      MaxConcurrency: 2,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Square',
        States: { Square: { Type: 'Task', Resource: fn('square'), End: true } },
      },
      ResultPath: '$.squares',
      Next: 'Flaky',
    },
    Flaky: {
      Type: 'Task',
      Resource: fn('flaky'),
      Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 30, MaxAttempts: 2 }],
      ResultPath: '$.flaky',
      Next: 'CountDown',
    },
    CountDown: {
      Type: 'Task',
      Resource: fn('decrement'),
      InputPath: '$.counter',
      ResultPath: '$.counter',
      Next: 'MoreToCount',
    },
    MoreToCount: {
      Type: 'Choice',
      Choices: [{ Variable: '$.counter', NumericGreaterThan: 0, Next: 'CountDown' }],
      Default: 'Validate',
    },
    Validate: {
      Type: 'Task',
      Resource: fn('validate'),
      Catch: [{ ErrorEquals: ['ValidationError'], ResultPath: '$.caught', Next: 'Recover' }],
      Next: 'Summarize',
    },
    Recover: {
      Type: 'Task',
      Resource: fn('recover'),
      Parameters: { 'error.$': '$.caught.Error', 'executionId.$': '$$.Execution.Id' },
      ResultPath: '$.recovery',
      Next: 'Summarize',
    },
    Summarize: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('summarize'), Payload: { 'squares.$': '$.squares' } },
      ResultPath: '$.summary',
      End: true,
    },
  },
};

const gatedDefinition = {
  StartAt: 'HoldEach',
  States: {
    HoldEach: {
      Type: 'Map',
      ItemsPath: '$.gates',
      MaxConcurrency: 1,
      ItemProcessor: { StartAt: 'Hold', States: { Hold: { Type: 'Task', Resource: fn('hold'), End: true } } },
      ResultPath: '$.held',
      Next: 'AfterHold',
    },
    AfterHold: { Type: 'Task', Resource: fn('after-hold'), End: true },
  },
};

const failingDefinition = {
  StartAt: 'Explode',
  States: { Explode: { Type: 'Task', Resource: fn('explode'), End: true } },
};

const verdictDefinition = {
  StartAt: 'Decide',
  States: {
    Decide: { Type: 'Choice', Choices: [{ Variable: '$.reject', BooleanEquals: true, Next: 'Reject' }], Default: 'Accept' },
    Reject: { Type: 'Fail', Error: 'Rejected', Cause: 'rejected by rule' },
    Accept: { Type: 'Succeed' },
  },
};

const machine = (name: string, definition: object) => ({ arn: `${ARN_PREFIX}:stateMachine:${name}`, name, definition });
const PIPELINE = machine('Pipeline', pipelineDefinition);
const GATED = machine('Gated', gatedDefinition);
const FAILING = machine('Failing', failingDefinition);
const VERDICT = machine('Verdict', verdictDefinition);

describe('local Step Functions endpoint', () => {
  let server: LocalStepFunctions;
  let sfn: SFNClient;
  const calls: { name: string; payload: any }[] = [];
  const gates = new Map<string, () => void>();
  let squaresInFlight = 0;
  let maxSquaresInFlight = 0;

  const functions: Record<string, (payload: any) => unknown> = {
    sum: (items: number[]) => items.reduce((a, b) => a + b, 0),
    max: (items: number[]) => Math.max(...items),
    square: async (item: number) => {
      maxSquaresInFlight = Math.max(maxSquaresInFlight, ++squaresInFlight);
      await sleep(20);
      squaresInFlight--;
      return item * item;
    },
    flaky: () => {
      // `calls` already holds this attempt: only the first one fails.
      if (calls.filter((call) => call.name === 'flaky').length === 1) throw namedError('TransientError', 'try again');
      return 'ok';
    },
    decrement: (counter: number) => counter - 1,
    validate: () => {
      throw namedError('ValidationError', 'bad draft');
    },
    recover: ({ error, executionId }: { error: string; executionId: string }) => ({ recoveredFrom: error, executionId }),
    summarize: ({ squares }: { squares: number[] }) => ({ total: squares.reduce((a, b) => a + b, 0) }),
    hold: (gate: string) => new Promise((resolve) => gates.set(gate, () => resolve('released'))),
    'after-hold': () => 'done',
    explode: () => {
      throw namedError('QuotaError', 'quota exhausted');
    },
  };

  /** Polls until `probe` returns something other than undefined. */
  async function poll<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('poll timed out');
      await sleep(10);
    }
  }

  const start = (stateMachineArn: string, input?: object, name?: string) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: input && JSON.stringify(input) }));

  const finished = (executionArn: string) =>
    poll(async (): Promise<DescribeExecutionCommandOutput | undefined> => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    });

  beforeAll(async () => {
    server = await startLocalStepFunctions({
      stateMachines: [PIPELINE, GATED, FAILING, VERDICT],
      invokeFunction: async (functionArn, payload) => {
        const name = functionArn.split(':').pop()!;
        calls.push({ name, payload });
        return functions[name]!(payload);
      },
      retryIntervalMs: 1,
    });
    sfn = new SFNClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
  });

  it('runs Parallel, Map, Retry, a Choice loop, Catch and lambda:invoke to the cloud-shaped output', async () => {
    const input = { items: [1, 2, 3, 4], counter: 3 };
    const { executionArn } = await start(PIPELINE.arn, input, 'pipeline-1');
    expect(executionArn).toBe(`${ARN_PREFIX}:execution:Pipeline:pipeline-1`);

    const execution = await finished(executionArn!);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', name: 'pipeline-1', stateMachineArn: PIPELINE.arn });
    expect(execution.stopDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime());
    expect(JSON.parse(execution.input!)).toEqual(input);

    const output = JSON.parse(execution.output!);
    expect(output).toMatchObject({
      items: [1, 2, 3, 4],
      stats: [10, 4],
      squares: [1, 4, 9, 16],
      flaky: 'ok',
      counter: 0,
      caught: { Error: 'ValidationError' },
      recovery: { recoveredFrom: 'ValidationError', executionId: executionArn },
      summary: { ExecutedVersion: '$LATEST', Payload: { total: 30 }, StatusCode: 200 },
    });
    expect(JSON.parse(output.caught.Cause)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad draft' });

    expect(maxSquaresInFlight).toBe(2);
    expect(calls.filter((call) => call.name === 'flaky')).toHaveLength(2);
    expect(calls.filter((call) => call.name === 'decrement').map((call) => call.payload)).toEqual([3, 2, 1]);
    expect(calls.find((call) => call.name === 'summarize')?.payload).toEqual({ squares: [1, 4, 9, 16] });
  });

  it('treats StartExecution with the same name as idempotent only while open and with the same input', async () => {
    const input = { gates: ['idempotent'] };
    const first = await start(GATED.arn, input, 'campaign-42');
    const release = await poll(() => gates.get('idempotent'));

    const again = await start(GATED.arn, input, 'campaign-42');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(start(GATED.arn, { gates: ['other'] }, 'campaign-42')).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    release();
    expect((await finished(first.executionArn!)).status).toBe('SUCCEEDED');
    expect(calls.filter((call) => call.name === 'hold' && call.payload === 'idempotent')).toHaveLength(1);
    // Once closed, the name cannot be reused, whatever the input.
    await expect(start(GATED.arn, input, 'campaign-42')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops a running execution: ABORTED with error and cause, and no further Task runs', async () => {
    const { executionArn } = await start(GATED.arn, { gates: ['stop-1', 'stop-2'], stopTest: true }, 'to-stop');
    const release = await poll(() => gates.get('stop-1'));

    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'UserCancelled', cause: 'cancelled by the creator' }),
    );
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(execution).toMatchObject({ status: 'ABORTED', error: 'UserCancelled', cause: 'cancelled by the creator', stopDate });
    expect(execution.output).toBeUndefined();

    release();
    await server.idle();
    expect(calls.filter((call) => call.name === 'hold' && call.payload.startsWith('stop-'))).toHaveLength(1);
    expect(calls.some((call) => call.name === 'after-hold' && call.payload.stopTest)).toBe(false);
  });

  it('reports an uncaught Lambda error as FAILED with the error name and the runtime error JSON as cause', async () => {
    const { executionArn } = await start(FAILING.arn);
    const execution = await finished(executionArn!);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'QuotaError' });
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorType: 'QuotaError', errorMessage: 'quota exhausted' });
    expect(execution.executionArn).toMatch(new RegExp(`^${ARN_PREFIX}:execution:Failing:[0-9a-f-]{36}$`));
  });

  it('lists executions newest first, filtered by status, with pagination', async () => {
    for (const i of [0, 1, 2, 3, 4]) await start(VERDICT.arn, { reject: i % 2 === 1 }, `verdict-${i}`);
    await server.idle();
    const list = (statusFilter: 'SUCCEEDED' | 'FAILED', nextToken?: string) =>
      sfn.send(new ListExecutionsCommand({ stateMachineArn: VERDICT.arn, statusFilter, maxResults: 2, nextToken }));

    const firstPage = await list('SUCCEEDED');
    expect(firstPage.executions!.map((execution) => execution.name)).toEqual(['verdict-4', 'verdict-2']);
    expect(firstPage.nextToken).toBeDefined();
    const lastPage = await list('SUCCEEDED', firstPage.nextToken);
    expect(lastPage.executions!.map((execution) => execution.name)).toEqual(['verdict-0']);
    expect(lastPage.nextToken).toBeUndefined();

    const failed = await list('FAILED');
    expect(failed.executions!.map((execution) => [execution.name, execution.status])).toEqual([
      ['verdict-3', 'FAILED'],
      ['verdict-1', 'FAILED'],
    ]);
    const rejected = await sfn.send(new DescribeExecutionCommand({ executionArn: failed.executions![0]!.executionArn }));
    expect(rejected).toMatchObject({ error: 'Rejected', cause: 'rejected by rule' });

    await expect(list('FAILED', firstPage.nextToken)).rejects.toBeInstanceOf(InvalidToken);
  });

  it('answers with the typed errors of the cloud', async () => {
    const unknownExecution = `${ARN_PREFIX}:execution:Pipeline:never-started`;
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: unknownExecution }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: PIPELINE.arn }))).rejects.toBeInstanceOf(InvalidArn);
    await expect(start(`${ARN_PREFIX}:stateMachine:Missing`)).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(start(PIPELINE.arn, {}, 'has space')).rejects.toBeInstanceOf(InvalidName);
    await expect(start(PIPELINE.arn, {}, 'x'.repeat(81))).rejects.toBeInstanceOf(InvalidName);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: PIPELINE.arn, input: '{not json' }))).rejects.toBeInstanceOf(
      InvalidExecutionInput,
    );
    await expect(sfn.send(new GetExecutionHistoryCommand({ executionArn: unknownExecution }))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });

  it('describes and lists the state machines', async () => {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: GATED.arn }));
    expect(described).toMatchObject({ name: 'Gated', status: 'ACTIVE', type: 'STANDARD' });
    expect(JSON.parse(described.definition!)).toEqual(gatedDefinition);

    const firstPage = await sfn.send(new ListStateMachinesCommand({ maxResults: 3 }));
    const lastPage = await sfn.send(new ListStateMachinesCommand({ nextToken: firstPage.nextToken }));
    expect([...firstPage.stateMachines!, ...lastPage.stateMachines!].map((stateMachine) => stateMachine.name)).toEqual([
      'Pipeline',
      'Gated',
      'Failing',
      'Verdict',
    ]);
  });

  it.each([
    ['an invalid definition', { StartAt: 'Missing', States: { Only: { Type: 'Pass', End: true } } }, /invalid/],
    [
      'a Task resource that cannot run locally',
      { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } },
      /not supported locally/,
    ],
    ['a JSONata definition', { QueryLanguage: 'JSONata', StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } }, /JSONata/],
  ])('refuses to start with %s', async (_, definition, message) => {
    await expect(
      startLocalStepFunctions({ stateMachines: [machine('Bad', definition)], invokeFunction: async () => null }),
    ).rejects.toThrow(message);
  });
});
