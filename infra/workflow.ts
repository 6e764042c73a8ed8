import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  Fail,
  JitterType,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CrescendoFunction, nagArn, type CrescendoResources } from './function';

/** Lambda service faults worth retrying; errors thrown by the handlers themselves are not. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

export interface CampaignWorkflowProps {
  resources: Omit<CrescendoResources, 'stateMachine'>;
  environment: Record<string, string>;
}

/**
 * The campaign workflow, a Standard state machine in JSONPath (the local runner ignores JSONata).
 * Input: `{ "userId": string, "campaignId": string, "attempt": number }`; states carry ids only.
 *
 *   LoadContext → Done
 *       └─ Catch(any, ResultPath $.error) → MarkFailed → Failed
 */
export class CampaignWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CampaignWorkflowProps) {
    super(scope, id);
    const taskFunction = (name: string, entry: string, table: 'read' | 'readwrite') =>
      new CrescendoFunction(this, `${name}Function`, {
        entry,
        access: { table, bucket: 'none' },
        resources: props.resources,
        environment: props.environment,
        description: `Campaign workflow task ${name}`,
      }).handler;
    const loadContextFunction = taskFunction('LoadContext', 'functions/agents/load-context.ts', 'read');
    const markFailedFunction = taskFunction('MarkFailed', 'functions/agents/mark-failed.ts', 'readwrite');

    const markFailed = lambdaTask(this, 'MarkFailed', markFailedFunction).next(
      new Fail(this, 'Failed', { errorPath: '$.error.code', causePath: '$.error.message' }),
    );
    const loadContext = lambdaTask(this, 'LoadContext', loadContextFunction).addCatch(markFailed, { resultPath: '$.error' });

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(loadContext.next(new Succeed(this, 'Done'))),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });

    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Execution logging (logs:CreateLogDelivery and related) and X-Ray tracing APIs support no resource-level permissions.',
      },
      ...[loadContextFunction, markFailedFunction].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagArn(fn)}:*]`,
        reason: "LambdaInvoke's grant also covers the versions and aliases (<arn>:*) of this workflow's own task function, nothing else.",
      })),
    );
  }
}

/**
 * A Task whose Resource is the function ARN itself (payloadResponseOnly), so the local runner can
 * map it to the handler module; the Lambda service faults are retried with capped, jittered backoff.
 */
function lambdaTask(scope: Construct, id: string, fn: IFunction): TaskStateBase {
  return new LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(Duration.seconds(60)),
  }).addRetry({
    errors: LAMBDA_TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxDelay: Duration.seconds(20),
    jitterStrategy: JitterType.FULL,
    maxAttempts: 3,
  });
}
