import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A transaction item that creates `item` only while its key is free. */
export function putOnce(table: string, item: Record<string, unknown>): TransactItem {
  return { Put: { TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
}

/**
 * One transaction: the `guards` (a count unit under its limit, the user upsert), then each of
 * `items` created only while its key is free. Both or neither; a cancellation is the caller's to read.
 */
export async function createOnce(table: string, guards: TransactItem[], items: Record<string, unknown>[]): Promise<void> {
  await dynamo.send(new TransactWriteCommand({ TransactItems: [...guards, ...items.map((item) => putOnce(table, item))] }));
}
