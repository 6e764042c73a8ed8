import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_METADATA_KEY } from '../../infra/metadata';
import {
  API_5XX_RATE_PERCENT,
  CONCURRENCY_DEFAULTS,
  DEFAULT_ACCOUNT_CONCURRENCY,
  FUNCTION_GROUPS,
  METRICS_PER_ALARM,
  UNRESERVED_MINIMUM,
} from '../../infra/operations';
import { ANY_AUTHORIZED_PARTY_CONTEXT } from '../../infra/stack';
import { synthesizeTemplate } from '../../infra/synth';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
let resources: Record<string, Resource>;
const ofType = (all: Record<string, Resource>, type: string) => Object.entries(all).filter(([, r]) => r.Type === type);
/** The resource a value refers to: a Ref, a GetAtt, or the name read out of an ARN (Fn::Select of Fn::Split of a GetAtt). */
const refOf = (value: unknown): string | undefined => {
  const selected = (value as { 'Fn::Select'?: [number, { 'Fn::Split'?: [string, unknown] }] })?.['Fn::Select'];
  if (selected) return refOf(selected[1]['Fn::Split']?.[1]);
  return (value as { Ref?: string })?.Ref ?? (value as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt']?.[0];
};
const entryOf = (id: string) => String(resources[id].Metadata?.[ENTRY_METADATA_KEY]);
const reservations = (all: Record<string, Resource>) =>
  Object.fromEntries(
    ofType(all, 'AWS::Lambda::Function').map(([, fn]) => [fn.Metadata?.[ENTRY_METADATA_KEY], fn.Properties.ReservedConcurrentExecutions]),
  );

/** The metrics (namespace, name, the FunctionName or other dimension's reference) an alarm watches, metric math included. */
function metricsOf(alarm: Resource): { namespace: string; name: string; dimension?: string }[] {
  const single = alarm.Properties.MetricName
    ? [{ Namespace: alarm.Properties.Namespace, MetricName: alarm.Properties.MetricName, Dimensions: alarm.Properties.Dimensions }]
    : [];
  const math = ((alarm.Properties.Metrics ?? []) as { MetricStat?: { Metric: Record<string, any> } }[]).flatMap((m) =>
    m.MetricStat ? [m.MetricStat.Metric] : [],
  );
  return [...single, ...math].map((metric) => ({
    namespace: metric.Namespace,
    name: metric.MetricName,
    dimension: refOf(((metric.Dimensions ?? []) as { Value: unknown }[])[0]?.Value),
  }));
}

beforeAll(() => {
  resources = synthesizeTemplate().Resources;
});

/** The functions something invokes asynchronously: S3 and EventBridge permissions, and lambda:InvokeFunction grants of other functions. */
function asyncInvokedFunctions(): Set<string> {
  const invoked = new Set<string>();
  for (const [, permission] of ofType(resources, 'AWS::Lambda::Permission')) {
    if (['s3.amazonaws.com', 'events.amazonaws.com'].includes(permission.Properties.Principal))
      invoked.add(refOf(permission.Properties.FunctionName)!);
  }
  const policies = [
    // Functions' roles only: the state machine invokes its task functions synchronously.
    ...ofType(resources, 'AWS::IAM::Role')
      .filter(([, role]) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'))
      .flatMap(([, role]) => role.Properties.Policies ?? []),
    ...ofType(resources, 'AWS::IAM::Policy')
      .filter(([, policy]) => !JSON.stringify(policy.Properties.Roles).includes('StateMachine'))
      .map(([, policy]) => policy.Properties),
  ];
  for (const policy of policies)
    for (const statement of policy.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]) {
      if (![statement.Action].flat().includes('lambda:InvokeFunction')) continue;
      for (const target of [statement.Resource].flat()) {
        const id = refOf(target) ?? JSON.stringify(target).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
        if (id && resources[id]?.Type === 'AWS::Lambda::Function') invoked.add(id);
      }
    }
  return invoked;
}

describe('dead letters', () => {
  it('every asynchronously invoked function retries twice, then sends the event to an encrypted 14-day dead-letter queue', () => {
    const invoked = asyncInvokedFunctions();
    expect([...invoked].map(entryOf).sort()).toEqual([
      'functions/agents/regenerate.ts',
      'functions/agents/reporter.ts',
      'functions/triggers/asset-upload.ts',
      'functions/triggers/platform-import.ts',
      'functions/triggers/posting-shard.ts',
      'functions/triggers/posting-trigger.ts',
      'functions/triggers/workflow-status.ts',
      'functions/workers/account-data.ts',
      'functions/workers/webhook-delivery.ts',
    ]);
    const configs = ofType(resources, 'AWS::Lambda::EventInvokeConfig');
    for (const id of invoked) {
      const [, config] = configs.find(([, c]) => refOf(c.Properties.FunctionName) === id) ?? [];
      expect(config, entryOf(id)).toBeDefined();
      expect(config!.Properties.MaximumRetryAttempts, entryOf(id)).toBe(2);
      const queue = resources[refOf(config!.Properties.DestinationConfig.OnFailure.Destination)!];
      expect(queue.Type, entryOf(id)).toBe('AWS::SQS::Queue');
    }
    for (const [id, queue] of ofType(resources, 'AWS::SQS::Queue')) {
      expect(queue.Properties, id).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    }
  });

  it('the EventBridge targets send what they cannot deliver to the same queues', () => {
    for (const [id, rule] of ofType(resources, 'AWS::Events::Rule')) {
      for (const target of rule.Properties.Targets as { DeadLetterConfig?: { Arn: unknown } }[]) {
        expect(resources[refOf(target.DeadLetterConfig?.Arn)!]?.Type, id).toBe('AWS::SQS::Queue');
      }
    }
  });
});

describe('alarms', () => {
  const alarms = () => ofType(resources, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm);
  const watching = (namespace: string, name: string, dimension?: string) =>
    alarms().filter((alarm) =>
      metricsOf(alarm).some((m) => m.namespace === namespace && m.name === name && (!dimension || m.dimension === dimension)),
    );

  it('all notify the one SNS topic', () => {
    const [[topicId]] = ofType(resources, 'AWS::SNS::Topic');
    expect(ofType(resources, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('fire when any dead-letter queue holds a message', () => {
    for (const [queueId] of ofType(resources, 'AWS::SQS::Queue')) {
      const matching = watching('AWS/SQS', 'ApproximateNumberOfMessagesVisible').filter((a) =>
        JSON.stringify(a.Properties.Dimensions).includes(queueId),
      );
      expect(matching, queueId).toHaveLength(1);
      expect(matching[0].Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  it('watch the errors and the throttles of every function, by group, at most 10 metrics per alarm', () => {
    for (const [functionId] of ofType(resources, 'AWS::Lambda::Function')) {
      if (!resources[functionId].Metadata?.[ENTRY_METADATA_KEY]) continue; // CDK's own deploy-time handlers
      for (const metric of ['Errors', 'Throttles'])
        expect(watching('AWS/Lambda', metric, functionId), `${metric} of ${entryOf(functionId)}`).toHaveLength(1);
    }
    for (const alarm of alarms()) expect(metricsOf(alarm).length).toBeLessThanOrEqual(METRICS_PER_ALARM);
    const descriptions = alarms().map((alarm) => String(alarm.Properties.AlarmDescription));
    for (const group of FUNCTION_GROUPS) {
      expect(descriptions.some((d) => d.startsWith(`Errors of the ${group} functions`))).toBe(true);
      expect(descriptions.some((d) => d.startsWith(`Throttles of the ${group} functions`))).toBe(true);
    }
  });

  it('fire on failed and timed-out workflow executions', () => {
    const [[machineId]] = ofType(resources, 'AWS::StepFunctions::StateMachine');
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(watching('AWS/States', metric, machineId), metric).toHaveLength(1);
    }
  });

  it("fire on the API's 5xx rate", () => {
    const [[apiId]] = ofType(resources, 'AWS::ApiGatewayV2::Api');
    const [alarm] = watching('AWS/ApiGateway', '5xx', apiId);
    expect(alarm.Properties.Threshold).toBe(API_5XX_RATE_PERCENT);
    expect(metricsOf(alarm).map((m) => m.name)).toEqual(expect.arrayContaining(['Count', '5xx']));
    expect(alarm.Properties.Metrics.find((m: { ReturnData?: boolean }) => m.ReturnData !== false).Expression).toContain(
      '100 * errors / requests',
    );
  });

  it('fire when the posting trigger has not run for two of its periods (missing data breaches)', () => {
    const [[triggerId]] = ofType(resources, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/triggers/posting-trigger.ts',
    );
    const [alarm] = watching('AWS/Lambda', 'Invocations', triggerId);
    expect(alarm.Properties).toMatchObject({
      EvaluationPeriods: 2,
      Period: 900,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});

describe('concurrency budgets', () => {
  it('reserve each group’s default per function, within a new account’s 1000 less the 100 Lambda keeps unreserved', () => {
    const reserved = reservations(resources);
    expect(reserved['functions/agents/writer.ts']).toBe(CONCURRENCY_DEFAULTS.agents);
    expect(reserved['functions/authorizers/bearer.ts']).toBe(CONCURRENCY_DEFAULTS.authorizers);
    expect(reserved['functions/workers/account-data.ts']).toBe(CONCURRENCY_DEFAULTS.workers);
    expect(reserved['functions/triggers/posting-trigger.ts']).toBe(CONCURRENCY_DEFAULTS.trigger);
    expect(reserved['functions/api/campaign-get.ts']).toBeUndefined();
    const total = Object.values(reserved).reduce((sum: number, value) => sum + Number(value ?? 0), 0);
    expect(total).toBeLessThanOrEqual(DEFAULT_ACCOUNT_CONCURRENCY - UNRESERVED_MINIMUM);
  });

  it('are CDK context settings; `concurrencyBudgets=off` reserves nothing (an account whose quota is 10), and budgets that do not fit fail synth', () => {
    const tuned = reservations(synthesizeTemplate({ context: { concurrencyAgents: 3, concurrencyApi: 2 } }).Resources);
    expect(tuned['functions/agents/writer.ts']).toBe(3);
    expect(tuned['functions/api/campaign-get.ts']).toBe(2);
    expect(() => synthesizeTemplate({ context: { accountConcurrency: 10 } })).toThrow(/Reserved concurrency \d+ exceeds .* quota of 10/);
    const off = reservations(synthesizeTemplate({ context: { accountConcurrency: 10, concurrencyBudgets: 'off' } }).Resources);
    expect(Object.values(off).filter((value) => value !== undefined)).toEqual([]);
  });
});

describe('authorized parties', () => {
  it('a real issuer without authorized parties fails synth unless the deploy opts out explicitly', () => {
    const issuer = { jwtIssuer: 'https://clerk.crescendo.test' };
    expect(() => synthesizeTemplate({ context: issuer })).toThrow(/No authorized parties for the issuer https:\/\/clerk\.crescendo\.test/);
    const optedOut = synthesizeTemplate({ context: { ...issuer, [ANY_AUTHORIZED_PARTY_CONTEXT]: true } }).Resources;
    const [, route] = ofType(optedOut, 'AWS::Lambda::Function').find(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/api/campaign-get.ts',
    )!;
    expect(route.Properties.Environment.Variables.AUTH_AUTHORIZED_PARTIES).toBe('');
    // The placeholder issuer of a default `cdk synth`, which no token can come from, gets the placeholder party.
    const [, placeholder] = ofType(resources, 'AWS::Lambda::Function').find(
      ([, fn]) => fn.Metadata?.[ENTRY_METADATA_KEY] === 'functions/api/campaign-get.ts',
    )!;
    expect(placeholder.Properties.Environment.Variables.AUTH_AUTHORIZED_PARTIES).toBe('http://localhost:5173');
  });
});
