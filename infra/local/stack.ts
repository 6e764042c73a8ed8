import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { functionEntries, scheduleRules, stateMachinesFromTemplate } from '../asl';
import { synthesizeTemplate } from '../synth';
import { startApiGateway } from './api-gateway';
import { ensureTable, startDynamoLocal, type TableResource } from './dynamodb';
import { loadOrCreateDevKeys, signDevToken, type DevKeys, type TokenOptions } from './jwt';
import { invokeLocal, repoRoot } from './lambda-runtime';
import { S3RVER_CREDENTIALS, startS3 } from './s3';
import { LOCAL_ACCOUNT, LOCAL_REGION, startScheduler, type ScheduleRule } from './scheduler';
import { startLocalStepFunctions } from './stepfunctions';

export const LOCAL_TABLE = 'crescendo';
export const LOCAL_BUCKET = 'crescendo-media';

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
  log?: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  sfnEndpoint: string;
  tableName: string;
  bucketName: string;
  stateMachineArn: string;
  scheduleRules: ScheduleRule[];
  keys: DevKeys;
  token(userId: string, options?: TokenOptions): Promise<string>;
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
  const template = synthesizeTemplate();
  const arnContext = { region: LOCAL_REGION, account: LOCAL_ACCOUNT };
  const tableResource = Object.values(template.Resources as Record<string, { Type: string }>).find(
    (resource): resource is TableResource => resource.Type === 'AWS::DynamoDB::Table',
  );
  if (!tableResource) throw new Error('The synthesized template has no DynamoDB table');

  const [dynamo, s3, keys] = await Promise.all([
    startDynamoLocal(options.persist ? join(options.dataDir, 'dynamodb') : undefined),
    startS3(join(options.dataDir, 's3'), LOCAL_BUCKET),
    loadOrCreateDevKeys(options.dataDir),
  ]);
  await ensureTable(dynamo.endpoint, LOCAL_TABLE, tableResource);

  const entries = functionEntries(template, arnContext);
  const machines = stateMachinesFromTemplate(template, arnContext);
  if (machines.length !== 1) throw new Error(`Expected one state machine in the template, found ${machines.length}`);
  const stepFunctions = await startLocalStepFunctions({
    stateMachines: machines.map(({ arn, name, definition }) => ({ arn, name, definition })),
    retryIntervalMs: options.retryIntervalMs,
    invokeFunction: (functionArn, payload) => {
      const entry = entries.get(functionArn);
      if (!entry) throw new Error(`No local handler for ${functionArn}`);
      return invokeLocal(entry, payload, functionArn.split(':').pop());
    },
  });

  Object.assign(process.env, {
    TABLE_NAME: LOCAL_TABLE,
    MEDIA_BUCKET_NAME: LOCAL_BUCKET,
    STATE_MACHINE_ARN: machines[0].arn,
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
  });

  const api = await startApiGateway({ port: options.apiPort, keys });
  const rules = scheduleRules(template);
  const stopScheduler = options.schedule ? startScheduler(rules, log) : () => {};

  return {
    apiUrl: api.url,
    dynamodbEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    sfnEndpoint: stepFunctions.endpoint,
    tableName: LOCAL_TABLE,
    bucketName: LOCAL_BUCKET,
    stateMachineArn: machines[0].arn,
    scheduleRules: rules,
    keys,
    token: (userId, tokenOptions) => signDevToken(keys, userId, tokenOptions),
    stop: async () => {
      stopScheduler();
      await api.close();
      await stepFunctions.close();
      await Promise.all([s3.stop(), dynamo.stop()]);
    },
  };
}
