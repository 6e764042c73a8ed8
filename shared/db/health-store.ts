import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';

/** A single-key read of a reserved item: proves the table answers without Scan or control-plane calls. */
export async function pingTable(table: string): Promise<void> {
  await dynamo.send(new GetCommand({ TableName: table, Key: { PK: 'HEALTH', SK: 'HEALTH' } }));
}
