import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { functionEntries, stateMachinesFromTemplate } from '../../infra/asl';
import { REPO_ROOT } from '../../infra/function';
import { synthesizeTemplate } from '../../infra/synth';

// The synthesized definition run by the same local runner as `npm start`, each Task state mapped to
// its handler module through the template's crescendo:entry metadata.
const context = { region: 'us-east-1', account: '000000000000' };
const ddb = mockClient(DynamoDBDocumentClient);

let machine: StateMachine;
let handlers: Record<string, (input: any) => Promise<any>>;

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'crescendo-test');
  const template = synthesizeTemplate();
  const [{ definition }] = stateMachinesFromTemplate(template, context);
  const asl = definition as unknown as StateMachineDefinition;
  const entries = functionEntries(template, context);
  handlers = {};
  for (const [name, state] of Object.entries(asl.States)) {
    if (state.Type !== 'Task') continue;
    const module = (await import(join(REPO_ROOT, entries.get(state.Resource!)!))) as { handler: (input: unknown) => Promise<unknown> };
    handlers[name] = vi.fn(module.handler);
  }
  machine = new StateMachine(asl);
});
beforeEach(() => {
  ddb.reset();
  for (const handler of Object.values(handlers)) vi.mocked(handler).mockClear();
});

const run = (input: object) => machine.run(input as never, { overrides: { taskResourceLocalHandlers: handlers } }).result;
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

describe('campaign workflow (foundation)', () => {
  it('loads the profile context and succeeds with ids and a few small fields', async () => {
    ddb.on(GetCommand, { TableName: 'crescendo-test', Key: { PK: 'USER#user-1', SK: 'PROFILE' } }).resolves({
      Item: { PK: 'USER#user-1', SK: 'PROFILE', userId: 'user-1', niche: 'personal finance', timeZone: 'Europe/Paris', selfPurpose: 'x' },
    });
    await expect(run(input)).resolves.toEqual({
      ...input,
      profile: { timeZone: 'Europe/Paris', niche: 'personal finance', phase2Completed: false },
    });
    expect(handlers.MarkFailed).not.toHaveBeenCalled();
  });

  it('routes a missing profile through MarkFailed and fails with the original error', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(failureOf(input)).resolves.toEqual({ name: 'ProfileNotFound', message: 'User user-1 has no profile' });
    expect(handlers.MarkFailed).toHaveBeenCalledWith(
      expect.objectContaining({ ...input, error: expect.objectContaining({ Error: 'ProfileNotFound' }) }),
    );
  });

  it('rejects an invalid input as InvalidWorkflowInput without touching the table', async () => {
    const failure = await failureOf({ userId: 'user-1', attempt: 'first' });
    expect(failure.name).toBe('InvalidWorkflowInput');
    expect(failure.message).toMatch(/campaignId/);
    expect(ddb.commandCalls(GetCommand)).toEqual([]);
  });
});

describe('MarkFailed', () => {
  it('takes the message out of a Lambda error cause (JSON) and keeps plain causes as they are', async () => {
    const lambdaCause = JSON.stringify({ errorType: 'Boom', errorMessage: 'it broke', trace: [] });
    await expect(handlers.MarkFailed({ ...input, error: { Error: 'Boom', Cause: lambdaCause } })).resolves.toEqual({
      ...input,
      status: 'failed',
      error: { code: 'Boom', message: 'it broke' },
    });
    await expect(handlers.MarkFailed({ error: { Error: 'States.Timeout', Cause: 'Task timed out' } })).resolves.toMatchObject({
      error: { code: 'States.Timeout', message: 'Task timed out' },
    });
    await expect(handlers.MarkFailed({ error: { Error: 'States.TaskFailed' } })).resolves.toMatchObject({
      error: { code: 'States.TaskFailed', message: 'States.TaskFailed' },
    });
  });
});
