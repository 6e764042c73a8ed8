import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '../../infra/metadata';
import { synthesizeTemplate } from '../../infra/synth';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionOf = (entry: string) => ofType('AWS::Lambda::Function').find(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === entry)!;
const roleOf = (fn: Resource) => (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** Every Allow statement of a function's role, with its actions as a list. */
function statements(fn: Resource): { actions: string[]; resource: unknown }[] {
  // Function roles hold their statements as inline policies (infra/function.ts).
  const [, role] = ofType('AWS::IAM::Role').find(([id]) => id === roleOf(fn))!;
  return ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: any[] } }[])
    .flatMap((policy) => policy.PolicyDocument.Statement)
    .filter((statement: { Effect: string }) => statement.Effect === 'Allow')
    .map((statement: { Action: string | string[]; Resource: unknown }) => ({
      actions: [statement.Action].flat(),
      resource: statement.Resource,
    }));
}

beforeAll(() => {
  resources = synthesizeTemplate().Resources;
});

const EMITTERS = [
  'functions/agents/finalize.ts',
  'functions/agents/mark-failed.ts',
  'functions/triggers/posting-shard.ts',
  'functions/triggers/workflow-status.ts',
];

describe('creator events', () => {
  it('has one custom bus, and only the emitters may put events on it, on that bus only', () => {
    const [[busId]] = ofType('AWS::Events::EventBus');
    expect(ofType('AWS::Events::EventBus')).toHaveLength(1);
    const putters = ofType('AWS::Lambda::Function').filter(([, fn]) => statements(fn).some((s) => s.actions.includes('events:PutEvents')));
    expect(putters.map(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY]).sort()).toEqual(expect.arrayContaining(EMITTERS));
    for (const [, fn] of putters) {
      const put = statements(fn).filter((s) => s.actions.includes('events:PutEvents'));
      expect(put).toEqual([{ actions: ['events:PutEvents'], resource: { 'Fn::GetAtt': [busId, 'Arn'] } }]);
      expect(fn.Properties.Environment.Variables).toMatchObject({
        EVENT_BUS_NAME: { Ref: busId },
        WEBHOOK_DELIVERY_FUNCTION_NAME: expect.anything(),
      });
    }
  });

  it('lets the emitters and the test route invoke the delivery worker, and nothing else', () => {
    const [workerId] = functionOf('functions/workers/webhook-delivery.ts');
    const invokers = ofType('AWS::Lambda::Function').filter(([, fn]) =>
      statements(fn).some((s) => s.actions.includes('lambda:InvokeFunction') && JSON.stringify(s.resource).includes(workerId)),
    );
    expect(invokers.map(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY]).sort()).toEqual(
      expect.arrayContaining([...EMITTERS, 'functions/api/webhook-test.ts']),
    );
    expect(invokers.map(([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY])).not.toContain('functions/api/webhook-create.ts');
  });

  it('fans the posting window out: the trigger touches no table and invokes only its shard worker, which retries into the dead-letter queue', () => {
    const [, trigger] = functionOf('functions/triggers/posting-trigger.ts');
    const [shardId] = functionOf('functions/triggers/posting-shard.ts');
    const actions = statements(trigger).flatMap((s) => s.actions);
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
    expect(
      statements(trigger)
        .filter((s) => s.actions.includes('lambda:InvokeFunction'))
        .map((s) => JSON.stringify(s.resource)),
    ).toEqual([expect.stringContaining(shardId)]);
    expect(trigger.Properties.Environment.Variables.POSTING_SHARD_FUNCTION_NAME).toEqual({ Ref: shardId });
    const [[, config]] = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => c.Properties.FunctionName.Ref === shardId);
    const [[queueId]] = ofType('AWS::SQS::Queue').filter(([id]) => id.startsWith('PostingTriggerDeadLetters'));
    expect(config.Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('never allows private webhook URLs in the cloud, and gives the worker room for every attempt', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function'))
      expect(fn.Properties.Environment?.Variables?.WEBHOOK_ALLOW_PRIVATE_URLS).toBeUndefined();
    const [, worker] = functionOf('functions/workers/webhook-delivery.ts');
    // 4 attempts × 5 s timeout + 2 + 4 + 8 s of backoff.
    expect(worker.Properties.Timeout).toBeGreaterThanOrEqual(4 * 5 + 14);
  });
});
