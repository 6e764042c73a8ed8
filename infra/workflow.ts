import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Parallel,
  Pass,
  Result,
  StateMachine,
  StateGraph,
  StateMachineType,
  Succeed,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import * as z from '../shared/schemas/zod';
import { DEFAULT_MODELS, OFFLINE_MODEL } from '../shared/ai';
import { permanentWorkflowErrors } from '../shared/db/workflow-store';
import { IMAGE_PROVIDERS, type ImageProviderName } from '../shared/media/images/config';
import { plans } from '../shared/domain/plans';
import { agentConfigSchema } from '../shared/schemas/campaign-fields';
import { worstCaseSeconds, type AslScope, type WorstCaseBounds } from './asl';
import { CrescendoFunction, nagArn, type CrescendoResources } from './function';

/** Lambda service faults worth retrying with a longer budget than other task failures. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** The deploy's choice of model chain and image provider (`-c llmModels=…`, `-c imageProvider=…`). */
export interface GenerationSettings {
  llmModels?: string[];
  imageProvider?: string;
}

/** The environment that says which models and which image provider generate content. */
export interface GenerationEnvironment {
  /** LLM_MODELS: every function that calls the LLM layer. */
  llm: { LLM_MODELS: string };
  /** IMAGE_PROVIDER: every function that renders thumbnails. */
  images: { IMAGE_PROVIDER: ImageProviderName };
}

/**
 * The one source of the chain and the image provider for the functions that generate (agents, job
 * workers) and the ones that price what they will generate (the estimate in shared/domain/estimate.ts:
 * an unset chain would price every model of the price table, an unset provider images as free).
 * The chain defaults to what the LLM layer runs by default: DEFAULT_MODELS with a Gemini key
 * secret, `offline` without.
 */
export function generationEnvironment(settings: GenerationSettings, geminiKeySecretArn: string | undefined): GenerationEnvironment {
  const models = settings.llmModels?.length ? settings.llmModels : geminiKeySecretArn ? DEFAULT_MODELS : [OFFLINE_MODEL];
  if (!geminiKeySecretArn && models.some((model) => model !== OFFLINE_MODEL)) {
    throw new Error(`llmModels names ${models.join(',')} but no geminiKeySecretArn is configured`);
  }
  const imageProvider = settings.imageProvider || 'offline';
  if (!(IMAGE_PROVIDERS as readonly string[]).includes(imageProvider))
    throw new Error(`imageProvider must be one of ${IMAGE_PROVIDERS.join(', ')}, not ${imageProvider}`);
  return { llm: { LLM_MODELS: models.join(',') }, images: { IMAGE_PROVIDER: imageProvider as ImageProviderName } };
}

export interface CampaignWorkflowProps {
  resources: Omit<CrescendoResources, 'stateMachine'>;
  environment: Record<string, string>;
  /** The model chain of the agent tasks and the image provider of the thumbnail task. */
  generation: GenerationEnvironment;
  /**
   * Full ARN of the Secrets Manager secret holding the Gemini API key (its SecretString is the bare
   * key). The agent and thumbnail functions get it as GEMINI_API_KEY_SECRET_ARN and may read that
   * one secret; without it they run on the offline provider.
   */
  geminiKeySecretArn?: string;
}

/**
 * A week's thumbnails (the Thumbnail function): at most 8 platforms × 7 days = 56 posts, 8 at a time,
 * so 7 images per slot. Worst case, every image spends its whole IMAGE_BUDGET_MS (40 s: up to 3
 * attempts of at most IMAGE_PROVIDER_TIMEOUT_MS = 20 s each and the backoff between them, none
 * running past the budget) and is replaced by the offline card, whose rendering is CPU work the 8
 * slots share (≤ 1 s a card at 512 MB): 7 × 40 s + 56 × 1 s = 336 s, plus the reads and writes of
 * the table and the bucket → the Lambda's timeout 360 s, the Task's 30 s more. Memory: per slot at most a 5 MB image
 * (MAX_IMAGE_BYTES; Gemini's base64 answer 1.33× that too) or a 1080×1920 card's 6 MB of pixels and
 * its PNG, about 20 MB: 8 slots ≈ 160 MB of the function's 512 MB.
 */
export const THUMBNAILS_BUDGET = { lambda: Duration.seconds(360), task: Duration.seconds(390) } as const;
/**
 * What the workflow's worst case is computed for: the Maps iterate over the weeks of the longest
 * campaign any tier allows (90 days: 13 weeks; the platforms only fill a week, which the task
 * budgets cover), and the writer→critic loop runs its first round plus the most rewrite rounds
 * agentConfig.maxCritiqueRounds accepts.
 */
export const WORKFLOW_WORST_CASE: WorstCaseBounds = {
  mapItems: Math.ceil(Math.max(...Object.values(plans).map((plan) => plan.maxDurationDays)) / 7),
  loopIterations: 1 + (z.toJSONSchema(agentConfigSchema.shape.maxCritiqueRounds).maximum ?? Infinity),
};

/**
 * Weeks generated at once, in order (week 1 first): a 30-day campaign's 5 weeks. Each writes its
 * chunks in parallel (writerChunks: 3–10 calls of at most 4,000 tokens), then one critic call per
 * round, then its thumbnails THUMBNAILS_PER_TASK_CONCURRENCY (8) at a time. Weeks reach their
 * thumbnails at different times, so rarely are all 40 images in flight; a provider's 429 is retried
 * with jittered backoff, then the image becomes the offline card (shared/media/thumbnail.ts).
 */
export const WEEKS_CONCURRENCY = 5;

/**
 * Time budgets of the agent tasks. One agent run walks the fallback chain (shared/ai/router.ts): at
 * worst 2 Gemini models × (1 + RETRIES_PER_MODEL = 3) requests × LLM_TIMEOUT_MS, plus backoff of at
 * most (0.5 + 1) s per model, then the offline twin (milliseconds). The Lambda gets that plus room
 * for its DynamoDB reads and writes, and the Task state 30 s more, so the Lambda's own timeout, not
 * the state's, fires first.
 * - research (context, forensics, strategist: one small JSON answer): 35 s a request,
 *   6 × 35 + 3 = 213 s → Lambda 240 s, Task 270 s;
 * - bulk (planner: up to 130 topics; writer: a week of posts, up to 32k output tokens; critic): at
 *   roughly 200–300 output tokens/s Gemini 2.5 Flash needs a minute or two, so 120 s a request,
 *   6 × 120 + 3 = 723 s → Lambda 780 s (Lambda allows 900 s), Task 810 s.
 */
export const AGENT_BUDGETS = {
  research: { llmTimeoutMs: 35_000, lambda: Duration.seconds(240), task: Duration.seconds(270) },
  bulk: { llmTimeoutMs: 120_000, lambda: Duration.seconds(780), task: Duration.seconds(810) },
} as const;

/**
 * What each caught stage records as `$.failedStep`: MarkFailed stores it as the campaign's
 * `failure.step`, which the API returns, so these strings stay as they were when the states were
 * renamed (the planner's state was PlanPosts).
 */
export const FAILED_STEPS = {
  LoadContext: 'LoadContext',
  Research: 'Research',
  Strategist: 'Strategist',
  Planner: 'PlanPosts',
  Writing: 'Writing',
  Thumbnails: 'Thumbnails',
  Finalize: 'Finalize',
  ReplanPlanner: 'ReplanPlanner',
} as const;

/**
 * The campaign workflow, a Standard state machine in JSONPath (the local runner ignores JSONata).
 * Input: `{ "userId": string, "campaignId": string, "attempt": number }`, and `"replan": n` for a
 * re-plan; states carry ids and small fields only, the tasks read and write the table.
 *
 *   Replan? ($.replan present) → ReplanPlanner (the weeks with a post to rewrite) → Weeks → Finalize (re-plan mode) → …
 *   otherwise:
 *   LoadContext → Research (Parallel: Context | Forensics) → Strategist → Planner (the weeks not ready yet)
 *     → Weeks (Map over those weeks in order, MaxConcurrency 5, ResultPath $.weeks:
 *          Writer → Critic → CritiqueDone? (every score ≥ critiqueBar, or round ≥ maxCritiqueRounds → WeekThumbnails,
 *                                           else NextRound: round + 1 → Writer)
 *          WeekThumbnails: the week's images, then its posts ready and due-indexed (the week is ready)
 *          Writer, Critic: Catch(any, $.error) → WeekWritingFailed, WeekThumbnails: → WeekThumbnailsFailed
 *            (Pass: { week, step, error }, the iteration's result))
 *     → Finalize (in_progress, or the first failed week's { failedStep, error }) → AllWeeksReady? (error → MarkFailed, else Done)
 *   each stage: Catch(any, ResultPath $.error) → <Stage>Failed (Pass: $.failedStep = FAILED_STEPS[<Stage>]) → MarkFailed → Failed
 *
 * States inside a Map or a Parallel branch cannot leave it: a week's failure ends its iteration
 * only, and a Map or Parallel failing as a whole is caught there (the failedStep names the stage,
 * the error is the task's). Every Task has its own Retry rules.
 */
/** Read access to the one secret holding the Gemini key, for every function that calls Gemini. */
export const geminiKeyReader = (secretArn: string) =>
  new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] });

export class CampaignWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  /** The state machine's TimeoutSeconds: the worst case of its definition (WORKFLOW_WORST_CASE). */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: CampaignWorkflowProps) {
    super(scope, id);
    type TaskOptions = {
      timeout?: Duration;
      bucket?: 'readwrite';
      commandHooks?: ICommandHooks;
      environment?: Record<string, string>;
      emitEvents?: true;
      creatorAiKeys?: 'open';
    };
    const taskFunction = (name: string, entry: string, options: TaskOptions = {}) =>
      new CrescendoFunction(this, `${name}Function`, {
        group: 'agents',
        entry,
        access: {
          table: 'readwrite',
          bucket: options.bucket ?? 'none',
          emitEvents: options.emitEvents,
          creatorAiKeys: options.creatorAiKeys,
        },
        resources: props.resources,
        environment: { ...props.environment, ...options.environment },
        description: `Campaign workflow task ${name}`,
        timeout: options.timeout,
        commandHooks: options.commandHooks,
      }).handler;
    const gemini: Record<string, string> = props.geminiKeySecretArn ? { GEMINI_API_KEY_SECRET_ARN: props.geminiKeySecretArn } : {};
    // Agent outputs too large for a table item go to the media bucket (shared/workflow/agent-output.ts);
    // an agent runs on its creator's own Gemini key when one is stored (shared/ai/creator-key.ts).
    const budget = (kind: keyof typeof AGENT_BUDGETS) => ({
      bucket: 'readwrite' as const,
      creatorAiKeys: 'open' as const,
      timeout: AGENT_BUDGETS[kind].lambda,
      environment: { LLM_TIMEOUT_MS: String(AGENT_BUDGETS[kind].llmTimeoutMs), ...props.generation.llm, ...gemini },
    });
    const functions = {
      LoadContext: taskFunction('LoadContext', 'functions/agents/load-context.ts'),
      Context: taskFunction('Context', 'functions/agents/context.ts', budget('research')),
      Forensics: taskFunction('Forensics', 'functions/agents/forensics.ts', budget('research')),
      Strategist: taskFunction('Strategist', 'functions/agents/strategist.ts', budget('research')),
      // The planner (one call per ≤ 130 posts, usually one) and one write request per post.
      Planner: taskFunction('Planner', 'functions/agents/planner.ts', budget('bulk')),
      Writer: taskFunction('Writer', 'functions/agents/writer.ts', budget('bulk')),
      Critic: taskFunction('Critic', 'functions/agents/critic.ts', budget('bulk')),
      // A week of up to 56 posts, 8 images at a time (THUMBNAILS_BUDGET).
      Thumbnail: taskFunction('Thumbnail', 'functions/agents/thumbnail.ts', {
        timeout: THUMBNAILS_BUDGET.lambda,
        bucket: 'readwrite',
        commandHooks: titleCardFont,
        environment: { ...props.generation.images, ...gemini },
      }),
      // Both announce the outcome to the creator (campaign.generated / campaign.failed).
      Finalize: taskFunction('Finalize', 'functions/agents/finalize.ts', { timeout: Duration.seconds(30), emitEvents: true }),
      MarkFailed: taskFunction('MarkFailed', 'functions/agents/mark-failed.ts', { emitEvents: true }),
      // Re-plan mode's planner: code, no model call (shared/workflow/stages/replan-planner.ts).
      ReplanPlanner: taskFunction('ReplanPlanner', 'functions/agents/replan-planner.ts'),
    };

    if (props.geminiKeySecretArn) {
      for (const fn of [
        functions.Context,
        functions.Forensics,
        functions.Strategist,
        functions.Planner,
        functions.Writer,
        functions.Critic,
        functions.Thumbnail,
      ]) {
        fn.addToRolePolicy(geminiKeyReader(props.geminiKeySecretArn));
      }
    }

    const markFailed = lambdaTask(this, 'MarkFailed', functions.MarkFailed).next(
      new Fail(this, 'Failed', { errorPath: '$.failure.code', causePath: '$.failure.message' }),
    );
    // A Catch cannot add fields of its own, so a Pass per stage records which one failed.
    const caught = <T extends TaskStateBase | MapState | Parallel>(name: keyof typeof FAILED_STEPS, state: T): T =>
      state.addCatch(
        new Pass(this, `${name}Failed`, { result: Result.fromString(FAILED_STEPS[name]), resultPath: '$.failedStep' }).next(markFailed),
        {
          resultPath: '$.error',
        },
      ) as T;
    const agentTask = (name: 'Context' | 'Forensics' | 'Strategist' | 'Planner' | 'Writer' | 'Critic') =>
      lambdaTask(
        this,
        name,
        functions[name],
        AGENT_BUDGETS[['Context', 'Forensics', 'Strategist'].includes(name) ? 'research' : 'bulk'].task,
      );
    const step = (name: 'LoadContext' | 'Finalize') => caught(name, lambdaTask(this, name, functions[name]));
    const ids = { 'userId.$': '$.userId', 'campaignId.$': '$.campaignId', 'attempt.$': '$.attempt' };

    const research = caught(
      'Research',
      new Parallel(this, 'Research', { resultPath: JsonPath.DISCARD }).branch(agentTask('Context')).branch(agentTask('Forensics')),
    );

    // One week of the campaign, ready on its own (the unit a re-plan of chosen weeks reuses): its
    // posts written and critiqued until they pass, its thumbnails, then its posts ready and due-indexed.
    // A failure ends the week's iteration only, with the error in its result: the other weeks go on.
    const weekFailed = (step: 'Writing' | 'Thumbnails') =>
      new Pass(this, `Week${step}Failed`, { parameters: { 'week.$': '$.week', step: FAILED_STEPS[step], 'error.$': '$.error' } });
    const writingFailed = weekFailed('Writing');
    const inWeek = <T extends TaskStateBase>(task: T, failed = writingFailed): T => task.addCatch(failed, { resultPath: '$.error' }) as T;
    const write = inWeek(agentTask('Writer'));
    const nextRound = new Pass(this, 'NextRound', {
      parameters: { ...ids, 'week.$': '$.week', 'round.$': 'States.MathAdd($.round, 1)' },
    }).next(write);
    const weekThumbnails = inWeek(
      lambdaTask(this, 'WeekThumbnails', functions.Thumbnail, THUMBNAILS_BUDGET.task),
      weekFailed('Thumbnails'),
    );
    const critiqueDone = new Choice(this, 'CritiqueDone')
      .when(
        Condition.or(
          Condition.numberGreaterThanEqualsJsonPath('$.minScore', '$.critiqueBar'),
          Condition.numberGreaterThanEqualsJsonPath('$.round', '$.maxRounds'),
        ),
        weekThumbnails,
      )
      .otherwise(nextRound);
    const weeks = caught(
      'Writing',
      new MapState(this, 'Weeks', {
        itemsPath: '$.batches',
        itemSelector: { ...ids, 'week.$': '$$.Map.Item.Value.week', round: 0 },
        maxConcurrency: WEEKS_CONCURRENCY,
        resultPath: '$.weeks',
      }).itemProcessor(write.next(inWeek(agentTask('Critic'))).next(critiqueDone)),
    );

    // Finalize moves the campaign to in_progress when every week is ready; else it returns the first
    // failed week's step and error, and the campaign fails with them (its ready weeks kept for the retry).
    const firstGeneration = step('LoadContext')
      .next(research)
      .next(caught('Strategist', agentTask('Strategist')))
      .next(caught('Planner', agentTask('Planner')))
      .next(weeks)
      .next(step('Finalize'))
      .next(new Choice(this, 'AllWeeksReady').when(Condition.isPresent('$.error'), markFailed).otherwise(new Succeed(this, 'Done')));
    // Re-plan mode (shared/app/replan.ts starts it with `replan: n`): its planner picks the posts to
    // rewrite, then the same Weeks Map over their weeks only, and Finalize records the diff.
    const replanPlanner = caught('ReplanPlanner', lambdaTask(this, 'ReplanPlanner', functions.ReplanPlanner));
    replanPlanner.next(weeks);
    const definition = new Choice(this, 'Replan?').when(Condition.isPresent('$.replan'), replanPlanner).otherwise(firstGeneration);

    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The definition is rendered here rather than by the StateMachine, so that its timeout can be
    // the critical path of its own ASL (worstCaseSeconds, checked again by the infra test).
    const graph = new StateGraph(definition, 'Campaign workflow');
    this.timeout = Duration.seconds(worstCaseSeconds(Stack.of(this).resolve(graph.toGraphJson()) as AslScope, WORKFLOW_WORST_CASE));
    graph.timeout = this.timeout;
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(Stack.of(this).toJsonString(graph.toGraphJson())),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    for (const statement of graph.policyStatements) this.stateMachine.addToRolePolicy(statement);

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
export const titleCardFont: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) => [
    `cp "${inputDir}/node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf" "${outputDir}/DejaVuSans-Bold.ttf"`,
  ],
};

/**
 * A Task whose Resource is the function ARN itself (payloadResponseOnly), so the local runner can
 * map it to the handler module. Retriers apply in order, the first match wins: the tasks' own
 * permanent errors never retry, Lambda service faults get the largest budget, and any other
 * failure (e.g. DynamoDB throttling beyond the SDK's own retries) a few more tries; every task is
 * idempotent, so a repeat is safe. All with capped exponential backoff and full jitter.
 */
function lambdaTask(scope: Construct, id: string, fn: IFunction, timeout = Duration.seconds(60)): TaskStateBase {
  const backoff = { interval: Duration.seconds(2), backoffRate: 2, maxDelay: Duration.seconds(20), jitterStrategy: JitterType.FULL };
  return new LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(timeout),
  })
    .addRetry({ errors: [...permanentWorkflowErrors], maxAttempts: 0 })
    .addRetry({ errors: LAMBDA_TRANSIENT_ERRORS, maxAttempts: 3, ...backoff })
    .addRetry({ errors: [Errors.TASKS_FAILED], maxAttempts: 2, ...backoff });
}
