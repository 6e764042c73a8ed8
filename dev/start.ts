import { clearRunningStack, dataDir, recordRunningStack, runningStack } from './state';
import { startLocalStack } from './stack';

const ENV_KEYS = [
  'TABLE_NAME',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_JWKS_URL',
  'MEDIA_BUCKET_NAME',
  'STATE_MACHINE_ARN',
  'WORKFLOW_TIMEOUT_SECONDS',
  'APP_VERSION',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_S3',
  'S3_FORCE_PATH_STYLE',
  'BLUESKY_SERVICE_URL',
  'BLUESKY_APPVIEW_URL',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_SQS',
  'AUTH_AUTHORIZED_PARTIES',
  'REGENERATE_FUNCTION_NAME',
  'WEBHOOK_DELIVERY_FUNCTION_NAME',
  'POSTING_SHARD_FUNCTION_NAME',
  'EVENT_BUS_NAME',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'WEBHOOK_ALLOW_PRIVATE_URLS',
  'REPORT_FUNCTION_NAME',
  'AWS_REQUEST_CHECKSUM_CALCULATION',
  'AWS_RESPONSE_CHECKSUM_VALIDATION',
];

const already = runningStack();
if (already) {
  console.error(`Crescendo is already running (pid ${already.pid}) at ${already.apiUrl}. Stop it with Ctrl-C in its terminal first.`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const stack = await startLocalStack({
  dataDir: dataDir(),
  persist: true,
  apiPort: port,
  schedule: true,
  bluesky: true,
  log: (line) => console.log(line),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') console.error(`Port ${port} is in use: set PORT to another port, e.g. PORT=3001 npm start`);
  else console.error(error);
  process.exit(1);
});

recordRunningStack({
  pid: process.pid,
  apiUrl: stack.apiUrl,
  env: Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key] ?? ''])),
});

const token = await stack.token('dev-user');
console.log(`
Crescendo is running locally (data in ${dataDir()}).

  API            ${stack.apiUrl}
  Docs           ${stack.apiUrl}/docs        (OpenAPI: ${stack.apiUrl}/openapi.json)
  DynamoDB Local ${stack.dynamodbEndpoint}   table ${stack.tableName}
  S3 (s3rver)    ${stack.s3Endpoint}   bucket ${stack.bucketName}
  Step Functions ${stack.sfnEndpoint}   ${stack.stateMachineArn}
  Lambda (Invoke) ${stack.lambdaEndpoint}   async job workers
  EventBridge    ${stack.eventBridgeEndpoint}   bus ${stack.eventBusName} (PutEvents; the template's event rules run their targets)
  Bluesky PDS    ${stack.bluesky?.serviceUrl}   the AT Protocol reference PDS (accounts last until Ctrl-C)
  Bluesky App View ${stack.bluesky?.appViewUrl}   local: getPosts and getProfile, counts set with POST /local/post-counts and /local/followers
  SQS (subset)   ${stack.sqsEndpoint}   dead-letter queues ${stack.queueNames.join(', ')} (in ${dataDir()}/queues; npm run redrive -- <queue>)
  Schedules      ${stack.scheduleRules.map((r) => `${r.logicalId} ${r.scheduleExpression}`).join(', ')}

Emulator credentials: AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1, e.g.
  aws dynamodb scan --table-name ${stack.tableName} --endpoint-url ${stack.dynamodbEndpoint}

Try it (a development token for user "dev-user", valid 1 hour; more with \`npm run token -- <userId>\`):
  TOKEN=${token}
  curl -s -X POST -H "authorization: Bearer $TOKEN" -H "content-type: application/json" \\
    -d '{"userName":"Dev","creatorType":"educator","niche":"personal finance","targetAudienceNiche":"students","timeZone":"Europe/Paris"}' \\
    ${stack.apiUrl}/onboarding
  curl -s -H "authorization: Bearer $TOKEN" ${stack.apiUrl}/profile/completion

Ctrl-C stops everything.`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping the local stack…');
  await stack.stop();
  clearRunningStack();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
