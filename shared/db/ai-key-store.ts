import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Sealed } from '../crypto/envelope-encryption';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { keys } from './keys';

/**
 * The creator's own Gemini key (`USER#<uid>` / `AIKEY`): the sealed key (shared/crypto/envelope-encryption.ts), its
 * last four characters and dates. Only the agents' key resolution reads `sealed`; every other
 * reader gets the public view.
 */
export interface AiKeyRecord {
  last4: string;
  addedAt: string;
  lastUsedAt?: string;
  sealed: Sealed;
}

export type AiKeyView = Omit<AiKeyRecord, 'sealed'>;

export const aiKeyView = ({ last4, addedAt, lastUsedAt }: AiKeyRecord): AiKeyView => ({
  last4,
  addedAt,
  ...(lastUsedAt && { lastUsedAt }),
});

/** An item as the GDPR export shows it: the AIKEY item without its sealed key (last4 and dates stay). */
export function withoutSealedKey(item: Record<string, unknown>): Record<string, unknown> {
  if (item.SK !== keys.aiKeySk) return item;
  const { sealed: _sealed, ...rest } = item;
  return rest;
}

export async function readAiKey(table: string, userId: string): Promise<AiKeyRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.aiKey(userId), ConsistentRead: true }));
  return Item ? (Item as unknown as AiKeyRecord) : undefined;
}

/** Whether the creator has a key stored (the quota checks: no LLM budget applies then). */
export async function hasAiKey(table: string, userId: string): Promise<boolean> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.aiKey(userId), ProjectionExpression: 'addedAt' }));
  return Item !== undefined;
}

/** Replaces any earlier key of the creator. */
export async function putAiKey(table: string, userId: string, record: AiKeyRecord): Promise<void> {
  await dynamo.send(new PutCommand({ TableName: table, Item: { ...keys.aiKey(userId), ...record } }));
}

export async function deleteAiKey(table: string, userId: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.aiKey(userId) }));
}

/** Records a use of the key added at `addedAt`; a key deleted or replaced meanwhile is left alone. */
export async function touchAiKey(table: string, userId: string, addedAt: string, at: string): Promise<void> {
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.aiKey(userId),
      UpdateExpression: 'SET lastUsedAt = :at',
      ConditionExpression: 'addedAt = :addedAt',
      ExpressionAttributeValues: { ':at': at, ':addedAt': addedAt },
    }),
  );
}
