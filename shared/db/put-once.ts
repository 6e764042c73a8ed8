import {
  TransactWriteCommand,
  type DeleteCommand,
  type PutCommand,
  type TransactWriteCommandInput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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

/**
 * Sends one conditional write and says whether it applied. A failed condition means another run
 * got there first (or the item is no longer as this run read it): false, nothing to undo. Any other
 * error is thrown. The name test also catches the exception of a second SDK copy or a test double.
 */
export async function conditionalWrite(command: UpdateCommand | PutCommand | DeleteCommand): Promise<boolean> {
  try {
    await dynamo.send(command as UpdateCommand);
    return true;
  } catch (error) {
    if ((error as Error | undefined)?.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
