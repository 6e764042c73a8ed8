import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, Validations, type App, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { commaList } from '../shared/core/config';
import { keys, UPLOADS_PREFIX } from '../shared/db/keys';
import { IMPORT_PERIOD_MINUTES } from '../shared/domain/metrics-checkpoints';
import { authorizerOf, BEARER_AUTHORIZER, routes, type RouteDef } from '../shared/http/routes';
import {
  CrescendoFunction,
  grantAccountDeletion,
  grantSelfInvoke,
  grantWorkerInvoke,
  REPO_ROOT,
  type CrescendoResources,
} from './function';
import { checkConcurrencyBudgets, deadLetterQueue, Operations } from './operations';
import {
  AGENT_BUDGETS,
  CampaignWorkflow,
  generationEnvironment,
  geminiKeyReader,
  titleCardFont,
  type GenerationSettings,
} from './workflow';

export const STACK_ID = 'Crescendo';
export const GSI1 = 'GSI1';
/** How often the posting trigger runs. */
export const POSTING_PERIOD = Duration.minutes(15);
/** The execution statuses whose status-change events mark the attempt failed. */
export const WORKFLOW_END_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface CrescendoStackProps extends StackProps {
  /** Issuer (Clerk instance URL) and audiences the HTTP API's JWT authorizer accepts. */
  jwt: { issuer: string; audience: string[] };
  /** `azp` values the handlers accept; empty disables that check. */
  authorizedParties: string[];
  /** Browser origins allowed by the API's CORS and by the bucket (presigned uploads). */
  corsOrigins: string[];
  appVersion: string;
  /** Full ARN of the Secrets Manager secret whose SecretString is the Gemini API key; none: the offline provider. */
  geminiKeySecretArn?: string;
  /** Full ARN of the Secrets Manager secret whose SecretString is the Clerk webhook's Svix signing secret; none: every delivery is refused. */
  clerkWebhookSecretArn?: string;
  /** The model chain and image provider content is generated (and estimated) with; see generationEnvironment. */
  generation?: GenerationSettings;
  /** Full ARN of the Secrets Manager secret holding Crescendo's X app (JSON `{ clientId, clientSecret }`); none: X cannot be connected. */
  xAppSecretArn?: string;
  /** The OAuth redirect URIs connections may name (`<api>/connections/<platform>/callback`). */
  connectionRedirectUris?: string[];
  /** The HTTP routes to deploy; default the route table (tests add routes to measure the stacks' headroom). */
  routes?: readonly RouteDef[];
}

/** Swagger UI's renderer is served by the docs function from its own bundle (see functions/api/docs.ts). */
const swaggerUiAssets: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) => {
    const dist = `${inputDir}/node_modules/swagger-ui-dist`;
    return [`mkdir -p "${outputDir}/swagger-ui"`, `cp "${dist}/swagger-ui-bundle.js" "${dist}/swagger-ui.css" "${outputDir}/swagger-ui/"`];
  },
};
const workerOf = (route: RouteDef) => route.access.invokeWorker;
const commandHooksByEntry: Record<string, ICommandHooks> = { 'functions/api/docs.ts': swaggerUiAssets };

/** UpdateItem on the rate limiter's own partitions (`RATE#<uid>`) only. */
export const rateLimitWriter = (table: Table) =>
  new PolicyStatement({
    actions: ['dynamodb:UpdateItem'],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.RATE_PK_PREFIX}*`] } },
  });

/** GetItem of API key lookup items (`APIKEY#<keyId>`) only: all the bearer authorizer reads. */
export const apiKeyLookupReader = (table: Table) =>
  new PolicyStatement({
    actions: ['dynamodb:GetItem'],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${keys.API_KEY_LOOKUP_PK_PREFIX}*`] } },
  });

export class CrescendoStack extends Stack {
  constructor(scope: Construct, id: string, props: CrescendoStackProps) {
    super(scope, id, props);

    const table = new Table(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
      sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    const bucket = new Bucket(this, 'MediaBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      cors: [
        {
          allowedMethods: [HttpMethods.GET, HttpMethods.PUT, HttpMethods.POST, HttpMethods.HEAD],
          allowedOrigins: props.corsOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ExpireAbandonedUploads', prefix: 'uploads/', expiration: Duration.days(2) },
        { id: 'ExpireAccountExports', prefix: 'exports/', expiration: Duration.days(7), noncurrentVersionExpiration: Duration.days(1) },
        { id: 'ExpireNoncurrentVersions', noncurrentVersionExpiration: Duration.days(30) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Objects are private and reachable only through short-lived presigned URLs issued by JWT routes, whose access log records the caller (sub) of every issuance; per-request S3 access logs would need a second bucket and are left out until an audit needs them.',
    });

    // Wraps the data keys of creators' own Gemini keys (shared/crypto/envelope-encryption.ts): PUT /account/ai-key may
    // only generate data keys, the agent functions only decrypt them.
    const aiKeys = new Key(this, 'CreatorAiKeys', {
      description: "Wraps the data keys that encrypt creators' own Gemini API keys",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const baseEnvironment = { APP_VERSION: props.appVersion };
    const generation = generationEnvironment(props.generation ?? {}, props.geminiKeySecretArn);
    const platformApps = { xAppSecretArn: props.xAppSecretArn, redirectUris: props.connectionRedirectUris ?? [] };
    const storage = { table, tableIndexNames: [GSI1], bucket, aiKeys, platformApps };

    // Creator events (shared/events/emit.ts): notifications in the table, signed webhooks sent by a
    // worker invoked asynchronously per delivery, and a custom bus integrators subscribe to with rules.
    const eventBus = new EventBus(this, 'CreatorEvents', { description: 'Crescendo creator events (source "crescendo")' });
    // Every asynchronous invocation ends in a dead-letter queue after Lambda's two retries (README: Operations):
    // the job workers' here, the posting schedule's, its shard workers', the upload checker's and the
    // workflow status rule's in PostingTriggerDeadLetters (its logical id predates the others).
    const workerDeadLetters = deadLetterQueue(this, 'WorkerDeadLetters', 'the job workers and the webhook delivery worker');
    const deadLetters = deadLetterQueue(
      this,
      'PostingTriggerDeadLetters',
      'the posting schedule, its shard workers, the upload checker and the workflow status rule',
    );
    const deliveryWorker = new CrescendoFunction(this, 'WebhookDeliveryWorker', {
      group: 'workers',
      deadLetters: workerDeadLetters,
      entry: 'functions/workers/webhook-delivery.ts',
      description: 'Sends one signed webhook delivery with retries and backoff',
      access: { table: 'readwrite', bucket: 'none' },
      resources: storage,
      environment: baseEnvironment,
      // WEBHOOK_MAX_ATTEMPTS (4) × WEBHOOK_TIMEOUT_MS (5 s) + backoff 2+4+8 s = 34 s at worst.
      timeout: Duration.seconds(60),
    });
    const data = { ...storage, events: { bus: eventBus, deliveryWorker: deliveryWorker.handler } };
    // The data, the event bus and its delivery worker, the dead-letter queue and the HTTP API with
    // its routes stay in this stack under their logical ids (a deployed stack upgrades in place);
    // the functions live in three nested stacks of one deploy (docs/architecture.md: Stacks).
    const workflowStack = new NestedStack(this, 'WorkflowStack', {
      description: 'Crescendo: the campaign workflow (state machine and task functions)',
    });
    const workersStack = new NestedStack(this, 'WorkersStack', { description: 'Crescendo: job workers, triggers and their rules' });
    const apiStack = new NestedStack(this, 'ApiStack', {
      description: "Crescendo: the HTTP API's route functions and its bearer authorizer",
    });
    const workflow = new CampaignWorkflow(workflowStack, 'Workflow', {
      resources: data,
      environment: baseEnvironment,
      generation,
      geminiKeySecretArn: props.geminiKeySecretArn,
    });
    const resources: CrescendoResources = { ...data, stateMachine: workflow.stateMachine };

    // Jobs: a route writes the job `queued` and invokes its worker asynchronously (InvocationType
    // Event), so long work never runs inside an API function's 10 s. The regeneration worker runs
    // the writer and the critic on one post and renders its thumbnail (or one profile analysis):
    // answers of a research agent's size, so the research request timeout, and at worst
    // 2 × 213 s + the image's IMAGE_BUDGET_MS 40 s ≈ 470 s inside the bulk Lambda timeout (780 s).
    const regenerateWorker = new CrescendoFunction(workersStack, 'RegenerateWorker', {
      group: 'agents',
      deadLetters: workerDeadLetters,
      entry: 'functions/agents/regenerate.ts',
      description: 'Job worker: regenerates one post (writer, critic, thumbnail)',
      access: { table: 'readwrite', bucket: 'readwrite', creatorAiKeys: 'open' },
      resources,
      environment: {
        ...baseEnvironment,
        LLM_TIMEOUT_MS: String(AGENT_BUDGETS.research.llmTimeoutMs),
        ...generation.llm,
        ...generation.images,
        ...(props.geminiKeySecretArn ? { GEMINI_API_KEY_SECRET_ARN: props.geminiKeySecretArn } : {}),
      },
      timeout: AGENT_BUDGETS.bulk.lambda,
      commandHooks: titleCardFont,
    });
    if (props.geminiKeySecretArn) regenerateWorker.handler.addToRolePolicy(geminiKeyReader(props.geminiKeySecretArn));
    // Completing a campaign: the outcome numbers from the confirmed posts, one reporter call (a
    // research-sized budget), the outcome report and the lessons draft, then the status change.
    const reportWorker = new CrescendoFunction(workersStack, 'ReportWorker', {
      group: 'agents',
      deadLetters: workerDeadLetters,
      entry: 'functions/agents/reporter.ts',
      description: 'Job worker: completes a campaign (outcome report, lessons draft, reporter agent, campaign.completed)',
      access: { table: 'readwrite', bucket: 'none', emitEvents: true, creatorAiKeys: 'open' },
      resources,
      environment: {
        ...baseEnvironment,
        LLM_TIMEOUT_MS: String(AGENT_BUDGETS.research.llmTimeoutMs),
        ...generation.llm,
        ...(props.geminiKeySecretArn ? { GEMINI_API_KEY_SECRET_ARN: props.geminiKeySecretArn } : {}),
      },
      timeout: AGENT_BUDGETS.research.lambda,
    });
    if (props.geminiKeySecretArn) reportWorker.handler.addToRolePolicy(geminiKeyReader(props.geminiKeySecretArn));
    // GDPR export and account deletion (shared/app/run-account-job.ts): reads and deletes everything of one
    // creator, so the longest timeout (the ZIP is built in memory: 512 MB bound an export).
    const accountDataWorker = new CrescendoFunction(workersStack, 'AccountDataWorker', {
      group: 'workers',
      deadLetters: workerDeadLetters,
      entry: 'functions/workers/account-data.ts',
      description: "Job worker: exports a creator's items and objects into one ZIP, or deletes them all (revoking every connection)",
      access: { table: 'readwrite', bucket: 'readwrite', creatorAiKeys: 'open', platformConnections: true },
      resources,
      environment: baseEnvironment,
      timeout: Duration.minutes(15),
    });
    grantAccountDeletion(accountDataWorker, bucket, workflow.stateMachine);
    grantSelfInvoke(accountDataWorker);
    const workers = {
      regenerate: regenerateWorker.handler,
      webhookDelivery: deliveryWorker.handler,
      report: reportWorker.handler,
      accountData: accountDataWorker.handler,
    };
    const workerEnvironment = {
      regenerate: 'REGENERATE_FUNCTION_NAME',
      webhookDelivery: 'WEBHOOK_DELIVERY_FUNCTION_NAME',
      report: 'REPORT_FUNCTION_NAME',
      accountData: 'ACCOUNT_DATA_FUNCTION_NAME',
    } as const;

    const api = new HttpApi(this, 'HttpApi', {
      apiName: 'crescendo',
      description: 'Crescendo HTTP API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            userId: '$context.authorizer.claims.sub',
            bearerUserId: '$context.authorizer.userId',
            authType: '$context.authorizer.authType',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    const jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwt.issuer, {
      jwtAudience: props.jwt.audience,
      identitySource: ['$request.header.Authorization'],
    });
    // Routes an API key may call (a scope in the route table) take the bearer authorizer, which
    // accepts a Clerk JWT too (checked as the JWT authorizer checks it, against Clerk's JWKS);
    // every other authenticated route keeps the JWT authorizer. docs/architecture.md: API keys.
    const jwtEnvironment = {
      JWT_ISSUER: props.jwt.issuer,
      JWT_AUDIENCE: props.jwt.audience.join(','),
      // Clerk publishes its signing keys here (the jwks_uri of its OpenID configuration).
      JWT_JWKS_URL: `${props.jwt.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
    };
    const bearerFunction = new CrescendoFunction(apiStack, 'BearerAuthorizer', {
      group: 'authorizers',
      entry: BEARER_AUTHORIZER.entry,
      description: 'HTTP API authorizer: a Clerk JWT or an API key (crk_...)',
      access: { table: 'none', bucket: 'none' },
      resources,
      environment: {
        ...baseEnvironment,
        TABLE_NAME: table.tableName,
        ...jwtEnvironment,
      },
      timeout: Duration.seconds(5),
    });
    bearerFunction.handler.addToRolePolicy(apiKeyLookupReader(table));
    const bearerAuthorizer = new HttpLambdaAuthorizer('BearerAuthorizer', bearerFunction.handler, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(BEARER_AUTHORIZER.cacheTtlSeconds),
    });
    const authorizers = { none: new HttpNoneAuthorizer(), jwt: jwtAuthorizer, bearer: bearerAuthorizer };
    for (const route of props.routes ?? (routes as readonly RouteDef[])) {
      const fn = new CrescendoFunction(apiStack, route.id, {
        group: 'api',
        entry: route.entry,
        description: `${route.method} ${route.path}`,
        access: route.access,
        resources,
        environment: {
          ...baseEnvironment,
          CORS_ORIGINS: props.corsOrigins.join(','),
          ...(route.auth !== 'public' && { AUTH_AUTHORIZED_PARTIES: props.authorizedParties.join(',') }),
          ...(route.access.jwtIssuer && jwtEnvironment),
          ...(workerOf(route) && { [workerEnvironment[workerOf(route)!]]: workers[workerOf(route)!].functionName }),
          ...(route.access.clerkWebhookSecret && props.clerkWebhookSecretArn && { CLERK_WEBHOOK_SECRET_ARN: props.clerkWebhookSecretArn }),
          ...(route.access.estimates && { ...generation.llm, ...generation.images }),
          // A start's lease: the workflow's own timeout plus 5 minutes (shared/domain/campaign-status.ts).
          ...(route.access.startWorkflow && { WORKFLOW_TIMEOUT_SECONDS: String(workflow.timeout.toSeconds()) }),
        },
        commandHooks: commandHooksByEntry[route.entry],
      });
      const worker = workerOf(route);
      if (worker) grantWorkerInvoke(fn, workers[worker]);
      if (route.access.clerkWebhookSecret && props.clerkWebhookSecretArn)
        fn.handler.addToRolePolicy(geminiKeyReader(props.clerkWebhookSecretArn));
      // The rate limiter counts every authenticated request; a read-only function may write its counters and nothing else.
      if (route.auth === 'jwt' && route.access.table === 'read') fn.handler.addToRolePolicy(rateLimitWriter(table));
      const [apiRoute] = api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn.handler),
        authorizer: authorizers[authorizerOf(route)],
      });
      if (route.auth !== 'jwt') {
        Validations.of(apiRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'bearer'
              ? `${route.method} ${route.path} authenticates in its function (a Clerk JWT or an API key, as the bearer authorizer checks them), so that its 401 can carry WWW-Authenticate, which an HTTP API authorizer cannot add.`
              : route.access.clerkWebhookSecret
                ? `${route.method} ${route.path} is called by Clerk, not by a user: every delivery is authenticated by its Svix signature (401 otherwise).`
                : `${route.method} ${route.path} is public by design (health, API description, documentation, plans, OAuth metadata) and serves no user data.`,
        });
      }
    }

    // The trigger fans a window out to one shard worker invocation per (UTC day, shard); the
    // arithmetic is in functions/triggers/posting-trigger.ts.
    const shardWorker = new CrescendoFunction(workersStack, 'PostingShardWorker', {
      group: 'trigger',
      deadLetters,
      entry: 'functions/triggers/posting-shard.ts',
      description: 'Marks the due posts of one shard of the window, emits post.due, publishes those of auto platforms',
      access: { table: 'readwrite', bucket: 'read', emitEvents: true, creatorAiKeys: 'both', platformConnections: true },
      resources: data,
      environment: baseEnvironment,
      timeout: Duration.minutes(5),
    });
    const trigger = new CrescendoFunction(workersStack, 'PostingTrigger', {
      group: 'trigger',
      deadLetters,
      entry: 'functions/triggers/posting-trigger.ts',
      description: 'Every 15 minutes: fans the current window out to the shard workers',
      access: { table: 'none', bucket: 'none' },
      resources,
      environment: { ...baseEnvironment, POSTING_SHARD_FUNCTION_NAME: shardWorker.handler.functionName },
      timeout: Duration.seconds(30),
    });
    grantWorkerInvoke(trigger, shardWorker.handler);
    new Rule(workersStack, 'PostingSchedule', {
      description: 'Runs the posting trigger every 15 minutes',
      schedule: Schedule.rate(POSTING_PERIOD),
      targets: [
        new LambdaFunction(trigger.handler, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: deadLetters,
        }),
      ],
    });

    // Metrics at their checkpoints after posting and the daily follower counts, through the
    // creators' connections (shared/app/platform-import.ts); the sparse GSI1 entries say what is due.
    const platformImport = new CrescendoFunction(workersStack, 'PlatformImport', {
      group: 'trigger',
      deadLetters,
      entry: 'functions/triggers/platform-import.ts',
      description: 'Every hour: imports post metrics at 1 h, 24 h, 72 h and 7 d after posting, and follower counts daily',
      access: { table: 'readwrite', bucket: 'none', emitEvents: true, creatorAiKeys: 'both', platformConnections: true },
      resources: data,
      environment: baseEnvironment,
      timeout: Duration.minutes(10),
    });
    new Rule(workersStack, 'PlatformImportSchedule', {
      description: `Runs the platform import every ${IMPORT_PERIOD_MINUTES} minutes`,
      schedule: Schedule.rate(Duration.minutes(IMPORT_PERIOD_MINUTES)),
      targets: [
        new LambdaFunction(platformImport.handler, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: deadLetters,
        }),
      ],
    });

    // A campaign's execution that ends without MarkFailed having run (the state machine's own
    // timeout skips every Catch; a stop; MarkFailed itself failing) marks its attempt failed all the
    // same: the same use case as MarkFailed, conditional on the attempt (functions/triggers/workflow-status.ts).
    const workflowStatus = new CrescendoFunction(workersStack, 'WorkflowStatusHandler', {
      group: 'workers',
      deadLetters,
      entry: 'functions/triggers/workflow-status.ts',
      description: 'Marks the attempt of a campaign workflow execution that failed, timed out or was stopped failed',
      access: { table: 'readwrite', bucket: 'none', emitEvents: true },
      resources: data,
      environment: baseEnvironment,
      timeout: Duration.seconds(30),
    });
    new Rule(workersStack, 'WorkflowExecutionEnded', {
      description: 'Campaign workflow executions that end FAILED, TIMED_OUT or ABORTED',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: [...WORKFLOW_END_STATUSES], stateMachineArn: [workflow.stateMachine.stateMachineArn] },
      },
      targets: [
        new LambdaFunction(workflowStatus.handler, { retryAttempts: 2, maxEventAge: Duration.hours(1), deadLetterQueue: deadLetters }),
      ],
    });

    // Assets (shared/app/assets.ts): every object created under uploads/ is checked (magic bytes, size,
    // owner) and moved under users/<uid>/assets/ or deleted. S3 invokes asynchronously: retried twice, then the DLQ.
    const uploadChecker = new CrescendoFunction(workersStack, 'AssetUploadChecker', {
      group: 'workers',
      deadLetters,
      entry: 'functions/triggers/asset-upload.ts',
      description: 'Checks an uploaded asset against its declaration, then moves it under assets/ or deletes it',
      access: { table: 'readwrite', bucket: 'readwrite' },
      resources: storage,
      environment: baseEnvironment,
      timeout: Duration.seconds(60),
    });
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(uploadChecker.handler), { prefix: UPLOADS_PREFIX });
    // CDK's own singleton that writes the bucket's notification configuration at deploy time.
    const notificationsHandler = this.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications custom resource handler runs only during deployments (PutBucketNotification); its role is built by CDK with the basic execution policy.",
      });
    }

    const functions = this.node.findAll().filter((construct): construct is CrescendoFunction => construct instanceof CrescendoFunction);
    checkConcurrencyBudgets(
      this,
      functions.map((fn) => ({ group: fn.group, reserved: fn.reservedConcurrency })),
    );
    const operations = new Operations(this, 'Operations', {
      functions,
      deadLetterQueues: [workerDeadLetters, deadLetters],
      stateMachine: workflow.stateMachine,
      api,
      postingTrigger: { handler: trigger.handler, period: POSTING_PERIOD },
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: operations.topic.topicArn });
    new CfnOutput(this, 'WorkerDeadLettersUrl', { value: workerDeadLetters.queueUrl });
    new CfnOutput(this, 'PostingDeadLettersUrl', { value: deadLetters.queueUrl });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: eventBus.eventBusName });
  }
}

const DEFAULTS = {
  // Placeholders so `cdk synth` works offline; deploys pass the real Clerk instance (and its authorized parties).
  jwtIssuer: 'https://clerk.example.com',
  authorizedParties: 'http://localhost:5173',
  jwtAudience: 'crescendo-api',
  corsOrigins: 'http://localhost:5173',
};

/** The CDK context key that deploys without an `azp` check, on purpose. */
export const ANY_AUTHORIZED_PARTY_CONTEXT = 'allowAnyAuthorizedParty';

/**
 * The `azp` values the handlers accept. A real issuer needs them: without, any site Clerk issues
 * tokens for could call the API with its users' tokens, so synth fails unless the deploy opts out
 * explicitly (`-c allowAnyAuthorizedParty=true`). The placeholder issuer, which no token can come
 * from, gets the placeholder party, so a default `cdk synth` works offline.
 */
export function authorizedPartiesOf(app: App, issuer: string, configured: string): string[] {
  const parties = commaList(configured);
  if (parties.length > 0) return parties;
  if (String(app.node.tryGetContext(ANY_AUTHORIZED_PARTY_CONTEXT)) === 'true') return [];
  if (issuer === DEFAULTS.jwtIssuer) return commaList(DEFAULTS.authorizedParties);
  throw new Error(
    `No authorized parties for the issuer ${issuer}: set AUTH_AUTHORIZED_PARTIES (or -c authorizedParties=https://app.example.com), ` +
      `the origins of the front ends whose Clerk tokens the API accepts, or deploy without the azp check with -c ${ANY_AUTHORIZED_PARTY_CONTEXT}=true.`,
  );
}

/**
 * Creates the Crescendo stack in `app`, configured from CDK context (`-c jwtIssuer=...`) first, then
 * the environment (JWT_ISSUER, JWT_AUDIENCE, AUTH_AUTHORIZED_PARTIES, CORS_ORIGINS), then DEFAULTS.
 * List values are comma-separated.
 */
export function createCrescendoStack(app: App, overrides: Pick<CrescendoStackProps, 'routes'> = {}): CrescendoStack {
  const setting = (contextKey: string, envKey: string, fallback = '') =>
    String(app.node.tryGetContext(contextKey) ?? process.env[envKey] ?? fallback);
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

  return new CrescendoStack(app, STACK_ID, {
    description: 'Crescendo: AI-planned content campaigns for creators',
    jwt: {
      issuer: setting('jwtIssuer', 'JWT_ISSUER', DEFAULTS.jwtIssuer),
      audience: commaList(setting('jwtAudience', 'JWT_AUDIENCE', DEFAULTS.jwtAudience)),
    },
    authorizedParties: authorizedPartiesOf(
      app,
      setting('jwtIssuer', 'JWT_ISSUER', DEFAULTS.jwtIssuer),
      setting('authorizedParties', 'AUTH_AUTHORIZED_PARTIES'),
    ),
    corsOrigins: commaList(setting('corsOrigins', 'CORS_ORIGINS', DEFAULTS.corsOrigins)),
    appVersion: version,
    geminiKeySecretArn: setting('geminiKeySecretArn', 'GEMINI_API_KEY_SECRET_ARN') || undefined,
    clerkWebhookSecretArn: setting('clerkWebhookSecretArn', 'CLERK_WEBHOOK_SECRET_ARN') || undefined,
    xAppSecretArn: setting('xAppSecretArn', 'X_APP_SECRET_ARN') || undefined,
    connectionRedirectUris: commaList(setting('connectionRedirectUris', 'CONNECTION_REDIRECT_URIS')),
    // Context only: the environment's LLM_MODELS / IMAGE_PROVIDER configure a local run, not the deploy.
    generation: {
      llmModels: commaList(String(app.node.tryGetContext('llmModels') ?? '')),
      imageProvider: app.node.tryGetContext('imageProvider'),
    },
    ...overrides,
  });
}
