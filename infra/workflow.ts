import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  DefinitionBody,
  Errors,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  StateMachine,
  StateMachineType,
  Succeed,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { permanentWorkflowErrors } from '../shared/db/workflow-store';
import { CrescendoFunction, nagArn, type CrescendoResources } from './function';

/** Lambda service faults worth retrying with a longer budget than other task failures. */
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

/** Posts whose thumbnails render at once: image providers rate-limit, and Lambda concurrency is shared. */
export const THUMBNAIL_CONCURRENCY = 8;

/**
 * The campaign workflow, a Standard state machine in JSONPath (the local runner ignores JSONata).
 * Input: `{ "userId": string, "campaignId": string, "attempt": number }`; states carry ids and
 * small fields only, the tasks read and write the table.
 *
 *   LoadContext → PlanPosts → Thumbnails (Map over the posts, MaxConcurrency 8: Thumbnail) → Finalize → Done
 *   each stage: Catch(any, ResultPath $.error) → <Stage>Failed (Pass: $.failedStep = "<Stage>") → MarkFailed → Failed
 *
 * Task states inside a Map cannot leave it, so a Map is caught as a whole (its failedStep names the
 * stage, the error names the task's error).
 */
export class CampaignWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CampaignWorkflowProps) {
    super(scope, id);
    const taskFunction = (name: string, entry: string, options: { timeout?: Duration; bucket?: 'readwrite'; commandHooks?: ICommandHooks } = {}) =>
      new CrescendoFunction(this, `${name}Function`, {
        entry,
        access: { table: 'readwrite', bucket: options.bucket ?? 'none' },
        resources: props.resources,
        environment: props.environment,
        description: `Campaign workflow task ${name}`,
        timeout: options.timeout,
        commandHooks: options.commandHooks,
      }).handler;
    const functions = {
      LoadContext: taskFunction('LoadContext', 'functions/agents/load-context.ts'),
      // One write request per post: up to 90 days × 8 platforms.
      PlanPosts: taskFunction('PlanPosts', 'functions/agents/plan-posts.ts', { timeout: Duration.seconds(30) }),
      // A remote image provider gets IMAGE_PROVIDER_TIMEOUT_MS (20 s) before the offline card replaces it.
      Thumbnail: taskFunction('Thumbnail', 'functions/agents/thumbnail.ts', {
        timeout: Duration.seconds(45),
        bucket: 'readwrite',
        commandHooks: titleCardFont,
      }),
      Finalize: taskFunction('Finalize', 'functions/agents/finalize.ts', { timeout: Duration.seconds(30) }),
      MarkFailed: taskFunction('MarkFailed', 'functions/agents/mark-failed.ts'),
    };

    const markFailed = lambdaTask(this, 'MarkFailed', functions.MarkFailed).next(
      new Fail(this, 'Failed', { errorPath: '$.failure.code', causePath: '$.failure.message' }),
    );
    // A Catch cannot add fields of its own, so a Pass per stage records which one failed.
    const caught = <T extends TaskStateBase | MapState>(name: string, state: T): T =>
      state.addCatch(new Pass(this, `${name}Failed`, { result: Result.fromString(name), resultPath: '$.failedStep' }).next(markFailed), {
        resultPath: '$.error',
      }) as T;
    const step = (name: 'LoadContext' | 'PlanPosts' | 'Finalize') => caught(name, lambdaTask(this, name, functions[name]));

    const thumbnails = caught(
      'Thumbnails',
      new MapState(this, 'Thumbnails', {
        itemsPath: '$.posts',
        itemSelector: {
          'userId.$': '$.userId',
          'campaignId.$': '$.campaignId',
          'attempt.$': '$.attempt',
          'day.$': '$$.Map.Item.Value.day',
          'platform.$': '$$.Map.Item.Value.platform',
        },
        maxConcurrency: THUMBNAIL_CONCURRENCY,
        resultPath: JsonPath.DISCARD,
      }).itemProcessor(lambdaTask(this, 'Thumbnail', functions.Thumbnail)),
    );

    const definition = step('LoadContext')
      .next(step('PlanPosts'))
      .next(thumbnails)
      .next(step('Finalize'))
      .next(new Succeed(this, 'Done'));

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });

    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Execution logging (logs:CreateLogDelivery and related) and X-Ray tracing APIs support no resource-level permissions.',
      },
      ...Object.values(functions).map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::${nagArn(fn)}:*]`,
        reason: "LambdaInvoke's grant also covers the versions and aliases (<arn>:*) of this workflow's own task function, nothing else.",
      })),
    );
  }
}

/** The offline title card's font, copied next to the bundle (the bundle cannot resolve node_modules in the cloud). */
const titleCardFont: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) => [`cp "${inputDir}/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" "${outputDir}/DejaVuSans-Bold.ttf"`],
};

/**
 * A Task whose Resource is the function ARN itself (payloadResponseOnly), so the local runner can
 * map it to the handler module. Retriers apply in order, the first match wins: the tasks' own
 * permanent errors never retry, Lambda service faults get the largest budget, and any other
 * failure (e.g. DynamoDB throttling beyond the SDK's own retries) a few more tries; every task is
 * idempotent, so a repeat is safe. All with capped exponential backoff and full jitter.
 */
function lambdaTask(scope: Construct, id: string, fn: IFunction): TaskStateBase {
  const backoff = { interval: Duration.seconds(2), backoffRate: 2, maxDelay: Duration.seconds(20), jitterStrategy: JitterType.FULL };
  return new LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(Duration.seconds(60)),
  })
    .addRetry({ errors: [...permanentWorkflowErrors], maxAttempts: 0 })
    .addRetry({ errors: LAMBDA_TRANSIENT_ERRORS, maxAttempts: 3, ...backoff })
    .addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 2, ...backoff });
}
