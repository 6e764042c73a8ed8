import { Duration, Fn, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';

/** Every function belongs to one group: its concurrency budget and its error and throttle alarms are per group. */
export const FUNCTION_GROUPS = ['api', 'authorizers', 'agents', 'workers', 'trigger'] as const;
export type FunctionGroup = (typeof FUNCTION_GROUPS)[number];

/**
 * Reserved concurrency per function of each group (0: none, the function draws on the account's
 * unreserved pool). Lambda keeps at least 100 of the account's quota unreserved, so the sum of all
 * reservations must stay at or below quota − 100: a new account's 1000 leaves 900. The defaults
 * reserve 320 (authorizer 50; 12 agent functions × 20; 4 workers × 5; 2 trigger functions × 5)
 * and cap exactly those, so a burst of agent work cannot take more than 240 of the account, and
 * the ~60 route functions share the unreserved 680. The route functions reserve nothing: 60 × even 10 would
 * take two thirds of a new account's quota. An account whose quota is 10 (some new accounts get
 * that) cannot reserve anything: deploy it with `-c concurrencyBudgets=off`.
 */
export const CONCURRENCY_DEFAULTS: Record<FunctionGroup, number> = { api: 0, authorizers: 50, agents: 20, workers: 5, trigger: 5 };
/** What Lambda keeps unreserved in every account: reservations beyond quota − this fail the deploy. */
export const UNRESERVED_MINIMUM = 100;
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/** The CDK context key of a group's budget: `concurrencyApi`, `concurrencyAgents`, … */
export const concurrencyContextKey = (group: FunctionGroup) => `concurrency${group[0].toUpperCase()}${group.slice(1)}`;

/** A group's reserved concurrency per function from CDK context (`-c concurrencyAgents=10`), else the default; `concurrencyBudgets=off`: none. */
export function reservedConcurrencyOf(scope: IConstruct, group: FunctionGroup): number | undefined {
  if (String(scope.node.tryGetContext('concurrencyBudgets') ?? 'on') === 'off') return undefined;
  const value = Number(scope.node.tryGetContext(concurrencyContextKey(group)) ?? CONCURRENCY_DEFAULTS[group]);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${concurrencyContextKey(group)} must be a non-negative integer, got ${value}`);
  return value === 0 ? undefined : value;
}

/** The account's concurrency quota the budgets must fit (`-c accountConcurrency=…`, default a new account's 1000). */
export function accountConcurrencyOf(scope: IConstruct): number {
  return Number(scope.node.tryGetContext('accountConcurrency') ?? DEFAULT_ACCOUNT_CONCURRENCY);
}

/** Lambda's asynchronous invocation policy everywhere: two retries within an hour, then the on-failure destination. */
export const ASYNC_RETRIES = { retryAttempts: 2, maxEventAge: Duration.hours(1) } as const;

/** An encrypted dead-letter queue (SQS-managed keys, TLS only) that keeps a message 14 days, SQS's longest. */
export function deadLetterQueue(scope: Construct, id: string, holds: string): Queue {
  const queue = new Queue(scope, id, { enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14) });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the dead-letter queue of ${holds}; a dead-letter queue of a dead-letter queue adds nothing (the not-empty alarm watches it).`,
  });
  return queue;
}

export interface WatchedFunction {
  group: FunctionGroup;
  handler: IFunction;
}

export interface OperationsProps {
  functions: readonly WatchedFunction[];
  deadLetterQueues: readonly IQueue[];
  stateMachine: IStateMachine;
  api: IHttpApi;
  /** The posting trigger: an alarm when it has not run for two of its periods. */
  postingTrigger: { handler: IFunction; period: Duration };
}

/** Alarms on the API's server-error rate above this share of requests (5 minutes). */
export const API_5XX_RATE_PERCENT = 1;
/**
 * A function's Lambda metric, its FunctionName dimension read out of its ARN
 * (arn:aws:lambda:<region>:<account>:function:<name>). The alarms live in the top stack and the
 * functions in nested ones: the ARN is already a nested stack output (the API integrations use it),
 * so naming the function by it costs no second output per function against CloudFormation's 200
 * (fn.metricErrors() would reference functionName, a second output).
 */
function lambdaMetric(fn: IFunction, metricName: 'Errors' | 'Throttles', period: Duration) {
  return new Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: Fn.select(6, Fn.split(':', fn.functionArn)) },
    period,
    statistic: 'Sum',
  });
}

/** CloudWatch alarms on metric math take at most 10 metrics: a group's alarm is split in chunks of this many functions. */
export const METRICS_PER_ALARM = 10;

/**
 * The operational alarms, all on one SNS topic (subscribe to it after deploying): any dead-letter
 * queue not empty; errors and throttles per function group; Step Functions executions failed or
 * timed out; the API's 5xx rate; the posting trigger not having run for two periods.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { displayName: 'Crescendo alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key; the messages carry alarm names and states only, no creator data.',
    });
    const period = Duration.minutes(5);

    props.deadLetterQueues.forEach((queue, index) =>
      this.alarm(`DeadLettersNotEmpty${index}`, {
        description: `Dead-letter queue ${queue.node.id} holds failed events: inspect them, fix the cause, then redrive (README: Operations)`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    );

    for (const group of FUNCTION_GROUPS) {
      const members = props.functions.filter((fn) => fn.group === group).map((fn) => fn.handler);
      for (let start = 0, chunk = 1; start < members.length; start += METRICS_PER_ALARM, chunk++) {
        const functions = members.slice(start, start + METRICS_PER_ALARM);
        const part = members.length > METRICS_PER_ALARM ? ` (part ${chunk})` : '';
        for (const kind of ['Errors', 'Throttles'] as const) {
          const metricOf = (fn: IFunction) => lambdaMetric(fn, kind, period);
          this.alarm(`${group}${kind}${chunk}`, {
            description: `${kind} of the ${group} functions${part}`,
            metric: new MathExpression({
              expression: functions.map((_, i) => `m${i}`).join(' + '),
              usingMetrics: Object.fromEntries(functions.map((fn, i) => [`m${i}`, metricOf(fn)])),
              period,
              label: `${group} ${kind.toLowerCase()}`,
            }),
            threshold: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          });
        }
      }
    }

    this.alarm('WorkflowFailed', {
      description: 'Campaign workflow executions failed',
      metric: props.stateMachine.metricFailed({ period, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('WorkflowTimedOut', {
      description: 'Campaign workflow executions timed out',
      metric: props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    this.alarm('Api5xxRate', {
      description: `More than ${API_5XX_RATE_PERCENT} % of the API's requests answered 5xx`,
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          requests: props.api.metricCount({ period, statistic: 'Sum' }),
          errors: props.api.metricServerError({ period, statistic: 'Sum' }),
        },
        period,
        label: 'API 5xx %',
      }),
      threshold: API_5XX_RATE_PERCENT,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    // No data is the symptom here (a disabled rule, a deleted target): missing data breaches.
    this.alarm('PostingTriggerNotRun', {
      description: 'The posting trigger has not run for two of its periods',
      metric: props.postingTrigger.handler.metricInvocations({ period: props.postingTrigger.period, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.BREACHING,
    });
  }

  private alarm(
    id: string,
    options: {
      description: string;
      metric: IMetric;
      threshold: number;
      comparisonOperator: ComparisonOperator;
      evaluationPeriods?: number;
      treatMissingData?: TreatMissingData;
    },
  ) {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparisonOperator,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

/** Fails synth when the reservations cannot fit the account's quota (the deploy would fail half-way instead). */
export function checkConcurrencyBudgets(scope: IConstruct, reservations: readonly { group: FunctionGroup; reserved?: number }[]) {
  const total = reservations.reduce((sum, fn) => sum + (fn.reserved ?? 0), 0);
  const quota = accountConcurrencyOf(scope);
  if (total > 0 && total > quota - UNRESERVED_MINIMUM) {
    const byGroup = FUNCTION_GROUPS.map((group) => {
      const members = reservations.filter((fn) => fn.group === group);
      return `${concurrencyContextKey(group)}=${members[0]?.reserved ?? 0} × ${members.length}`;
    }).join(', ');
    throw new Error(
      `Reserved concurrency ${total} exceeds what an account quota of ${quota} allows (${quota} − ${UNRESERVED_MINIMUM} unreserved = ${quota - UNRESERVED_MINIMUM}): ${byGroup}. ` +
        'Lower the budgets with -c concurrency<Group>=<n>, or deploy with -c concurrencyBudgets=off (README: Concurrency budgets).',
    );
  }
}
