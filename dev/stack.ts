import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  asyncInvokeConfigs,
  bucketNotificationTargets,
  eventRules,
  functionEntries,
  queueNames,
  scheduleRules,
  stateMachinesFromTemplate,
  type AsyncInvokeConfig,
} from '../infra/asl';
import type { Template } from '../infra/synth';
import { startApiGateway } from './api-gateway';
import { startLocalBluesky, type LocalBluesky } from './bluesky';
import { ensureTable, startDynamoLocal, tableIn, type TableResource } from './dynamodb';
import { startLocalEventBridge, type RecordedEvent } from './eventbridge';
import {
  LOCAL_AUDIENCE,
  LOCAL_AUTHORIZED_PARTY,
  LOCAL_ISSUER,
  loadOrCreateDevKeys,
  serveJwks,
  signDevToken,
  type DevKeys,
  type TokenOptions,
} from './jwt';
import { invokeLocal, lambdaContext, repoRoot } from './lambda-runtime';
import { S3RVER_CREDENTIALS, startS3 } from './s3';
import { LOCAL_ACCOUNT, LOCAL_REGION, startScheduler, type ScheduleRule } from './scheduler';
import { startLocalQueues, type LocalQueues } from './sqs';
import { startLocalStepFunctions } from './stepfunctions';
import { startLocalX, type LocalX } from './x-server';

export const LOCAL_TABLE = 'crescendo';
export const LOCAL_BUCKET = 'crescendo-media';
/** The Clerk webhook's signing secret in development (Svix format: whsec_ + base64); not a secret, only for local signing. */
export const LOCAL_CLERK_WEBHOOK_SECRET = `whsec_${Buffer.from('crescendo-local-clerk-webhook-key').toString('base64')}`;

export interface LocalStackOptions {
  dataDir: string;
  /** Keep DynamoDB data on disk under dataDir (npm start); in memory otherwise (tests). */
  persist: boolean;
  /** 0 picks a free port. */
  apiPort: number;
  /** Run the posting trigger on the rule's schedule. */
  schedule: boolean;
  /** Overrides every Retry interval of the workflow (fast tests). */
  retryIntervalMs?: number;
  /** Overrides the webhook worker's backoff base, WEBHOOK_RETRY_BASE_MS (fast tests). */
  webhookRetryBaseMs?: number;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: true (default) for local http:// receivers on 127.0.0.1; false runs the cloud's policy (SSRF tests). */
  webhookPrivateUrls?: boolean;
  /** The wait before Lambda's first retry of a failed asynchronous invocation, doubled for the second (the cloud: about 1 and 2 minutes). Default 1 s. */
  asyncRetryDelayMs?: number;
  /** Overrides the bearer authorizer's cache TTL (default: the cloud's, BEARER_AUTHORIZER.cacheTtlSeconds); 0 disables the cache. */
  bearerCacheTtlSeconds?: number;
  /** Run Bluesky's reference PDS and the local App View (dev/bluesky.ts): npm start does; tests that connect to Bluesky ask for it. */
  bluesky?: boolean;
  /** The app's synthesized template (infra/synth.ts), when the caller already has it: the tests synthesize it once per run. */
  template?: Template;
  /**
   * A DynamoDB Local already running and the table this stack owns in it, created at start and
   * deleted at stop (the tests run one DynamoDB Local for all their files); else the stack runs its own.
   */
  dynamodb?: { endpoint: string; tableName: string };
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  sfnEndpoint: string;
  lambdaEndpoint: string;
  eventBridgeEndpoint: string;
  sqsEndpoint: string;
  /** The URL of one of the template's queues by its local name (its logical id without the hash: `WorkerDeadLetters`). */
  queueUrl(name: string): string;
  queueNames: string[];
  eventBusName: string;
  /** Events the local bus accepted (PutEvents), oldest first. */
  publishedEvents(): RecordedEvent[];
  /** Resolves when no asynchronous invocation runs any more (including those they started). */
  asyncIdle(): Promise<void>;
  /** While on, asynchronous invocations are recorded (function name and event) instead of run: the route fuzzer's mode. */
  recordAsyncInvocations(on: boolean): void;
  recordedInvocations(): { functionName: string; payload: unknown }[];
  tableName: string;
  bucketName: string;
  stateMachineArn: string;
  scheduleRules: ScheduleRule[];
  keys: DevKeys;
  /** The local X API (dev/x-server.ts): its injections, tweets, revokes and request counts. */
  x: LocalX;
  token(userId: string, options?: TokenOptions): Promise<string>;
  /** With `bluesky: true`: the PDS, the App View and their test controls. */
  bluesky?: LocalBluesky;
  stop(): Promise<void>;
}

const appVersion = () => (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Starts the whole product on one machine: the emulators, then the handlers in-process with the
 * configuration CDK would give them. The table, the workflow and the schedule come from the
 * synthesized template, so what runs here is what deploys.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  // Loaded only here: the CDK library takes a second to load and synthesis three more.
  const template = options.template ?? (await import('../infra/synth')).synthesizeTemplate();
  const arnContext = { region: LOCAL_REGION, account: LOCAL_ACCOUNT };
  const tableResource = Object.values(template.Resources as Record<string, { Type: string }>).find(
    (resource): resource is TableResource => resource.Type === 'AWS::DynamoDB::Table',
  );
  if (!tableResource) throw new Error('The synthesized template has no DynamoDB table');

  const tableName = options.dynamodb?.tableName ?? LOCAL_TABLE;
  const [dynamo, s3, keys, x, bluesky] = await Promise.all([
    options.dynamodb
      ? tableIn(options.dynamodb.endpoint, tableName)
      : startDynamoLocal(options.persist ? join(options.dataDir, 'dynamodb') : undefined),
    startS3(join(options.dataDir, 's3'), LOCAL_BUCKET),
    loadOrCreateDevKeys(options.dataDir),
    startLocalX(),
    options.bluesky ? startLocalBluesky(options.dataDir) : undefined,
  ]);
  await ensureTable(dynamo.endpoint, tableName, tableResource);

  const entries = functionEntries(template, arnContext);
  const machines = stateMachinesFromTemplate(template, arnContext);
  if (machines.length !== 1) throw new Error(`Expected one state machine in the template, found ${machines.length}`);
  const queues = await startLocalQueues(join(options.dataDir, 'queues'), queueNames(template), LOCAL_REGION);
  const lambda = await startLocalLambda(entries, {
    asyncConfigs: asyncInvokeConfigs(template),
    queues,
    retryDelayMs: options.asyncRetryDelayMs ?? 1000,
    log,
  });
  const workerOf = (entry: string) => {
    const arn = [...entries].find(([, candidate]) => candidate === entry)?.[0];
    if (!arn) throw new Error(`The synthesized template has no function for ${entry}`);
    return arn;
  };
  const busNames = Object.values(template.Resources as Record<string, { Type: string; Properties?: { Name?: string } }>)
    .filter((resource) => resource.Type === 'AWS::Events::EventBus')
    .map((resource) => String(resource.Properties?.Name));
  if (busNames.length !== 1) throw new Error(`Expected one event bus in the template, found ${busNames.length}`);
  // The template's event rules (e.g. the workflow's status changes → the status handler) invoke their targets asynchronously.
  const eventBridge = await startLocalEventBridge(busNames, {
    rules: eventRules(template, arnContext),
    invokeTarget: (target, event) => lambda.invokeInBackground(target.entry, event, target.functionLogicalId),
    ...arnContext,
  });
  const stepFunctions = await startLocalStepFunctions({
    stateMachines: machines.map(({ arn, name, definition }) => ({ arn, name, definition })),
    retryIntervalMs: options.retryIntervalMs,
    invokeFunction: (functionArn, payload) => {
      const entry = entries.get(functionArn);
      if (!entry) throw new Error(`No local handler for ${functionArn}`);
      return invokeLocal(entry, payload, functionArn.split(':').pop());
    },
    // With a persisted table, executions outlive the process in a journal: a crash ends them ABORTED at the next start.
    journalFile: options.persist ? join(options.dataDir, 'stepfunctions-journal.jsonl') : undefined,
    onStatusChange: (event) => eventBridge.deliver(event),
  });

  const jwks = await serveJwks(keys);

  Object.assign(process.env, {
    REGENERATE_FUNCTION_NAME: workerOf('functions/agents/regenerate.ts'),
    REPORT_FUNCTION_NAME: workerOf('functions/agents/reporter.ts'),
    ACCOUNT_DATA_FUNCTION_NAME: workerOf('functions/workers/account-data.ts'),
    WEBHOOK_DELIVERY_FUNCTION_NAME: workerOf('functions/workers/webhook-delivery.ts'),
    POSTING_SHARD_FUNCTION_NAME: workerOf('functions/triggers/posting-shard.ts'),
    EVENT_BUS_NAME: busNames[0],
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    // Local receivers are http:// on 127.0.0.1; the cloud never sets this.
    WEBHOOK_ALLOW_PRIVATE_URLS: String(options.webhookPrivateUrls ?? true),
    ...(options.webhookRetryBaseMs !== undefined && { WEBHOOK_RETRY_BASE_MS: String(options.webhookRetryBaseMs) }),
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    AWS_ENDPOINT_URL_SQS: queues.endpoint,
    // Wraps the data keys of creators' own Gemini keys where the cloud uses KMS.
    AI_KEY_LOCAL_KEY_FILE: loadOrCreateKeyWrappingKey(options.dataDir),
    TABLE_NAME: tableName,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    // The local front end's azp, in every development token (dev/jwt.ts): the check runs locally as it does deployed.
    AUTH_AUTHORIZED_PARTIES: LOCAL_AUTHORIZED_PARTY,
    JWT_JWKS_URL: jwks.url,
    CLERK_WEBHOOK_SECRET: LOCAL_CLERK_WEBHOOK_SECRET,
    RATE_LIMIT: 'on',
    MEDIA_BUCKET_NAME: LOCAL_BUCKET,
    STATE_MACHINE_ARN: machines[0].arn,
    WORKFLOW_TIMEOUT_SECONDS: String(machines[0].definition.TimeoutSeconds),
    APP_VERSION: appVersion(),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ENDPOINT_URL_SFN: stepFunctions.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    ...(bluesky && { BLUESKY_SERVICE_URL: bluesky.serviceUrl, BLUESKY_APPVIEW_URL: bluesky.appViewUrl }),
  });

  // S3 event notifications: s3rver emits an event for every object change; the template's
  // notification configuration says which reach which function (prefix, event type).
  for (const target of bucketNotificationTargets(template)) {
    const created = target.events.some((name) => name.startsWith('s3:ObjectCreated'));
    s3.server.on('event', (event) => {
      const [record] = event.Records as { eventName?: string; s3?: { object?: { key?: string } } }[];
      const key = decodeURIComponent(record?.s3?.object?.key ?? '');
      if (created && record?.eventName?.startsWith('ObjectCreated:') && key.startsWith(target.prefix)) {
        lambda.invokeInBackground(target.entry, event, target.functionLogicalId);
      }
    });
  }

  const api = await startApiGateway({ port: options.apiPort, keys, bearerCacheTtlSeconds: options.bearerCacheTtlSeconds });
  // The platforms: their endpoints and Crescendo's app there are configuration, as in the cloud.
  Object.assign(process.env, {
    X_API_BASE_URL: x.url,
    X_AUTHORIZE_URL: `${x.url}/i/oauth2/authorize`,
    X_CLIENT_ID: x.clientId,
    X_CLIENT_SECRET: x.clientSecret,
    CONNECTION_REDIRECT_URIS: `${api.url}/connections/x/callback`,
  });
  const rules = scheduleRules(template);
  const stopScheduler = options.schedule ? startScheduler(rules, log) : () => {};
  stepFunctions.announceInterrupted();

  return {
    apiUrl: api.url,
    dynamodbEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    sfnEndpoint: stepFunctions.endpoint,
    lambdaEndpoint: lambda.endpoint,
    eventBridgeEndpoint: eventBridge.endpoint,
    sqsEndpoint: queues.endpoint,
    queueUrl: queues.queueUrl,
    queueNames: queueNames(template),
    eventBusName: busNames[0],
    publishedEvents: eventBridge.events,
    asyncIdle: lambda.idle,
    recordAsyncInvocations: lambda.record,
    recordedInvocations: () => [...lambda.recorded],
    tableName,
    bucketName: LOCAL_BUCKET,
    stateMachineArn: machines[0].arn,
    scheduleRules: rules,
    keys,
    x,
    token: (userId, tokenOptions) => signDevToken(keys, userId, tokenOptions),
    bluesky,
    stop: async () => {
      stopScheduler();
      await api.close();
      await stepFunctions.close();
      await lambda.close();
      await eventBridge.close();
      await queues.close();
      await jwks.close();
      await Promise.all([s3.stop(), dynamo.stop(), x.close(), bluesky?.close()]);
    },
  };
}

/**
 * The local stand-in for the KMS key of creators' own Gemini keys: 32 random bytes created on first
 * start in the data folder (owner-only), kept with the table so stored keys stay readable.
 */
function loadOrCreateKeyWrappingKey(dataDir: string): string {
  const file = join(dataDir, 'ai-key-wrapping.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  }
  return file;
}

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/<name or ARN>/invocations`) for the functions
 * of the template, so a handler that invokes a worker (InvocationType Event: 202, the work goes
 * on in the background) runs unchanged. An asynchronous invocation that fails is retried as
 * Lambda does (the template's MaximumRetryAttempts, twice by default, after a wait that doubles),
 * then its on-failure destination gets Lambda's record of it (the local queues). close() waits for
 * the invocations still running.
 */
async function startLocalLambda(
  entries: Map<string, string>,
  failures: { asyncConfigs: Map<string, AsyncInvokeConfig>; queues: LocalQueues; retryDelayMs: number; log: (line: string) => void },
) {
  const byName = new Map<string, string>();
  for (const [arn, entry] of entries) byName.set(arn, entry).set(arn.split(':').pop()!, entry);
  const running = new Set<Promise<unknown>>();
  const invokeWithRetries = async (entry: string, payload: unknown, name: string) => {
    const config = failures.asyncConfigs.get(name) ?? { maximumRetryAttempts: 2 };
    let attempt = 0;
    for (;;) {
      attempt += 1;
      try {
        return await invokeLocal(entry, payload, name);
      } catch (error) {
        if (attempt > config.maximumRetryAttempts) {
          const destination = config.onFailureQueue;
          console.error(`local async invocation of ${name} failed ${attempt} times${destination ? `; sent to ${destination}` : ''}`, error);
          if (destination) failures.queues.send(destination, JSON.stringify(onFailureRecord(name, payload, attempt, error)));
          return undefined;
        }
        failures.log(`async invocation of ${name} failed (attempt ${attempt}), retrying`);
        await new Promise((resolve) => setTimeout(resolve, failures.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  };
  /** An asynchronous invocation (InvocationType Event, an S3 notification, an EventBridge target): tracked so idle() waits for it. */
  let recording = false;
  const recorded: { functionName: string; payload: unknown }[] = [];
  const invokeInBackground = (entry: string, payload: unknown, name = entry) => {
    if (recording) return void recorded.push({ functionName: name, payload });
    const tracked = invokeWithRetries(entry, payload, name).finally(() => running.delete(tracked));
    running.add(tracked);
  };
  const server = createServer((req, res) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec((req.url ?? '').split('?')[0]);
    const name = match ? decodeURIComponent(match[1]) : '';
    // A function ARN of another region or account, or with a qualifier (a dead letter's record), still names the function.
    const functionName = name.split(':function:').pop()!.split(':')[0];
    const entry = byName.get(name) ?? byName.get(functionName);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method !== 'POST' || !entry) return reply(404, { Type: 'User', message: `Function not found: ${name}` });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const payload: unknown = text ? JSON.parse(text) : {};
      if (req.headers['x-amz-invocation-type'] === 'Event') {
        invokeInBackground(entry, payload, functionName);
        return reply(202, undefined);
      }
      invokeLocal(entry, payload, functionName).then(
        (result) => reply(200, result ?? null),
        (error: Error) => {
          res.setHeader('x-amz-function-error', 'Unhandled');
          reply(200, { errorType: error.name, errorMessage: error.message });
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const idle = async () => {
    while (running.size) await Promise.allSettled([...running]);
  };
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    idle,
    invokeInBackground,
    recorded,
    record: (on: boolean) => {
      recording = on;
    },
    close: async () => {
      await idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What Lambda sends an on-failure destination once an asynchronous invocation's retries are exhausted. */
function onFailureRecord(functionName: string, payload: unknown, invocations: number, error: unknown) {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: randomUUID(),
      functionArn: `${lambdaContext(functionName).invokedFunctionArn}:$LATEST`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: invocations,
    },
    requestPayload: payload,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: {
      errorType: error instanceof Error ? error.name : 'Error',
      errorMessage: error instanceof Error ? error.message : String(error),
    },
  };
}
