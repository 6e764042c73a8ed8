import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStepFunctions, type ExecutionStatusChange } from '../../dev/stepfunctions';
import { pollUntil } from '../support/poll';

const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:Journal';
const failing = {
  StartAt: 'Boom',
  States: { Boom: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:boom', End: true } },
};
const dir = mkdtempSync(join(tmpdir(), 'crescendo-journal-'));
const journalFile = join(dir, 'stepfunctions-journal.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local Step Functions journal', () => {
  it('ends the executions a dead process left open ABORTED at start, with AWS’s status-change event, once', async () => {
    const input = JSON.stringify({ userId: 'u', campaignId: 'c', attempt: 2 });
    const open = {
      event: 'started',
      executionArn: `${machineArn.replace(':stateMachine:', ':execution:')}:c-a2`,
      stateMachineArn: machineArn,
      name: 'c-a2',
      input,
      campaignId: 'c',
      attempt: 2,
      startDate: 1_800_000_000,
    };
    const closed = { ...open, executionArn: `${open.executionArn}x`, name: 'c-a1' };
    writeFileSync(
      journalFile,
      [open, closed, { event: 'ended', executionArn: closed.executionArn, status: 'SUCCEEDED', stopDate: 1_800_000_100 }]
        .map((line) => JSON.stringify(line))
        .join('\n') + '\n{"event":"star',
    );

    const events: ExecutionStatusChange[] = [];
    const server = await startLocalStepFunctions({
      stateMachines: [{ arn: machineArn, name: 'Journal', definition: failing }],
      invokeFunction: async () => ({}),
      journalFile,
      onStatusChange: (event) => events.push(event),
    });
    expect(events).toEqual([]); // only once the caller is ready
    server.announceInterrupted();
    server.announceInterrupted();
    expect(events).toEqual([
      {
        source: 'aws.states',
        'detail-type': 'Step Functions Execution Status Change',
        resources: [open.executionArn],
        detail: expect.objectContaining({
          executionArn: open.executionArn,
          stateMachineArn: machineArn,
          name: 'c-a2',
          status: 'ABORTED',
          input,
          startDate: 1_800_000_000_000,
          stopDate: expect.any(Number),
        }),
      },
    ]);
    await server.close();
    const again = await startLocalStepFunctions({
      stateMachines: [{ arn: machineArn, name: 'Journal', definition: failing }],
      invokeFunction: async () => ({}),
      journalFile,
      onStatusChange: (event) => events.push(event),
    });
    again.announceInterrupted();
    await again.close();
    expect(events).toHaveLength(1);
  });

  it('records every start and end, and sends the status change of an execution that fails', async () => {
    rmSync(journalFile, { force: true });
    const events: ExecutionStatusChange[] = [];
    const server = await startLocalStepFunctions({
      stateMachines: [{ arn: machineArn, name: 'Journal', definition: failing }],
      invokeFunction: async () => {
        throw Object.assign(new Error('it broke'), { name: 'Broken' });
      },
      journalFile,
      onStatusChange: (event) => events.push(event),
    });
    const sfn = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const input = JSON.stringify({ userId: 'u', campaignId: 'c', attempt: 1 });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, name: 'c-a1', input }));
    await pollUntil(
      async () => events.length,
      (count) => count > 0,
      'the execution to fail',
    );
    expect(events[0].detail).toMatchObject({ executionArn, status: 'FAILED', error: 'Broken', input });
    await server.close();
    const lines = readFileSync(journalFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ event: 'started', executionArn, campaignId: 'c', attempt: 1, input }),
      expect.objectContaining({ event: 'ended', executionArn, status: 'FAILED' }),
    ]);
  });
});
