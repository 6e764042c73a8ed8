import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateMachinesFromTemplate, worstCaseSeconds, type AslScope } from '../../infra/asl';
import { ENTRY_METADATA_KEY } from '../../infra/metadata';
import { WORKFLOW_END_STATUSES } from '../../infra/stack';
import { synthesizeTemplate } from '../../infra/synth';
import { WORKFLOW_WORST_CASE } from '../../infra/workflow';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
let template: Template;
let resources: Record<string, Resource>;
let asl: AslScope & { TimeoutSeconds?: number };
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const byEntry = (entry: string) => ofType('AWS::Lambda::Function').find(([, r]) => r.Metadata?.[ENTRY_METADATA_KEY] === entry)!;

beforeAll(() => {
  const synthesized = synthesizeTemplate();
  template = Template.fromJSON(synthesized);
  resources = template.toJSON().Resources;
  [{ definition: asl }] = stateMachinesFromTemplate(synthesized, { region: 'us-east-1', account: '000000000000' }) as unknown as [
    { definition: AslScope & { TimeoutSeconds?: number } },
  ];
});

describe('the state machine timeout', () => {
  it('is the critical path of the synthesized ASL for a 90-day campaign (13 weeks) and the longest critique loop', () => {
    expect(WORKFLOW_WORST_CASE).toEqual({ mapItems: 13, loopIterations: 4 });
    const worst = worstCaseSeconds(asl, WORKFLOW_WORST_CASE);
    expect(asl.TimeoutSeconds).toBeGreaterThanOrEqual(worst);
    expect(asl.TimeoutSeconds).toBe(worst);
    // A Standard workflow may run a year.
    expect(worst).toBeLessThan(365 * 24 * 3600);
  });

  it('counts a Task as TimeoutSeconds × (1 + every retrier’s MaxAttempts) plus the capped backoff waits', () => {
    const task = (timeout: number) => ({
      Type: 'Task',
      TimeoutSeconds: timeout,
      Retry: [
        { ErrorEquals: ['Permanent'], MaxAttempts: 0 },
        { ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 3, IntervalSeconds: 2, BackoffRate: 2, MaxDelaySeconds: 5 },
        { ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2, IntervalSeconds: 2, BackoffRate: 2, MaxDelaySeconds: 20 },
      ],
    });
    // 10 × 6 attempts + (2 + 4 + 5) + (2 + 4)
    expect(worstCaseSeconds({ StartAt: 'A', States: { A: { ...task(10), End: true } as never } }, { mapItems: 1, loopIterations: 1 })).toBe(
      77,
    );
  });

  it('takes a Parallel’s slowest branch, ⌈items ÷ MaxConcurrency⌉ Map rounds, a loop’s rounds and the longest Catch path', () => {
    const t = (seconds: number, next?: string) => ({ Type: 'Task', TimeoutSeconds: seconds, ...(next ? { Next: next } : { End: true }) });
    const scope = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'x', States: { x: t(5) } },
            { StartAt: 'y', States: { y: t(7) } },
          ],
          Next: 'M',
        },
        M: {
          Type: 'Map',
          MaxConcurrency: 5,
          ItemProcessor: {
            StartAt: 'W',
            States: { W: t(3, 'C'), C: { Type: 'Choice', Choices: [{ Next: 'W' }], Default: 'Done' }, Done: { Type: 'Succeed' } },
          },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fail' }],
          Next: 'End',
        },
        Fail: t(100),
        End: { Type: 'Succeed' },
      },
    } as unknown as AslScope;
    // 7 + ⌈13 ÷ 5⌉ = 3 rounds × 4 loop runs × 3 s + the catch path's 100 s
    expect(worstCaseSeconds(scope, { mapItems: 13, loopIterations: 4 })).toBe(7 + 36 + 100);
  });

  it('refuses a Task without TimeoutSeconds: it would have no bound', () => {
    expect(() =>
      worstCaseSeconds({ StartAt: 'A', States: { A: { Type: 'Task', End: true } as never } }, { mapItems: 1, loopIterations: 1 }),
    ).toThrow(/no TimeoutSeconds/);
  });

  it('gives the routes that start the workflow the timeout their leases are computed from', () => {
    const starters = ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.STATE_MACHINE_ARN);
    expect(starters.length).toBeGreaterThanOrEqual(2);
    for (const [, fn] of starters) expect(fn.Properties.Environment.Variables.WORKFLOW_TIMEOUT_SECONDS).toBe(String(asl.TimeoutSeconds));
  });
});

describe('the workflow status rule', () => {
  it('matches the workflow’s own executions that end FAILED, TIMED_OUT or ABORTED', () => {
    const [machineId] = ofType('AWS::StepFunctions::StateMachine')[0];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: [...WORKFLOW_END_STATUSES], stateMachineArn: [{ Ref: machineId }] },
      },
    });
  });

  it('invokes the status handler with retries and the dead-letter queue, as the posting schedule does', () => {
    const [handlerId] = byEntry('functions/triggers/workflow-status.ts');
    const [queueId] = ofType('AWS::SQS::Queue').find(([id]) => id.startsWith('PostingTriggerDeadLetters'))!;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.states'] }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [handlerId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [handlerId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('lets the handler do what MarkFailed does and nothing more: no bucket, no workflow control', () => {
    const [, handler] = byEntry('functions/triggers/workflow-status.ts');
    const [, markFailed] = byEntry('functions/agents/mark-failed.ts');
    const actions = (fn: Resource) => {
      const role = resources[(fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]];
      return ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: { Action: string | string[] }[] } }[])
        .flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()))
        .sort();
    };
    // Beyond MarkFailed's: sending its own failed events to its dead-letter queue.
    expect(actions(handler).filter((action) => !action.startsWith('sqs:'))).toEqual(actions(markFailed));
    expect(actions(handler).some((action) => action.startsWith('s3:') || action.startsWith('states:'))).toBe(false);
    expect(Object.keys(handler.Properties.Environment.Variables).sort()).toEqual(
      Object.keys(markFailed.Properties.Environment.Variables).sort(),
    );
  });
});
