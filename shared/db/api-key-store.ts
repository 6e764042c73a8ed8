import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyScope } from '../domain/api-keys';
import { DomainError } from '../errors';
import { decodeCursor, encodeCursor } from '../http/cursor';
import type { ApiKey } from '../schemas/api-keys';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';

/**
 * API keys: the key as the creator sees it (`USER#<uid>` / `APIKEY#<keyId>`, no hash) and its
 * lookup item (`APIKEY#<keyId>` / `APIKEY`: owner, scopes, expiry, SHA-256 of the token), which
 * the authorizer reads. Both are written and deleted in one transaction; revoking is deleting.
 */
export interface ApiKeyLookup {
  keyId: string;
  userId: string;
  scopes: ApiKeyScope[];
  expiresAt?: string;
  tokenHash: string;
}

export const apiKeyNotFound = (keyId: string) => new DomainError('API_KEY_NOT_FOUND', `No API key ${keyId}`);

/** How many keys the creator has (a Query of keys only: at most the plan's limit). */
export async function countApiKeys(table: string, userId: string): Promise<number> {
  const { Count } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.apiKeySkPrefix },
      Select: 'COUNT',
      ConsistentRead: true,
    }),
  );
  return Count ?? 0;
}

export async function putApiKey(table: string, userId: string, key: ApiKey, tokenHash: string): Promise<void> {
  const lookup: ApiKeyLookup = { keyId: key.keyId, userId, scopes: key.scopes, tokenHash, ...(key.expiresAt && { expiresAt: key.expiresAt }) };
  await dynamo.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...keys.apiKey(userId, key.keyId), ...key }, ConditionExpression: 'attribute_not_exists(PK)' } },
        { Put: { TableName: table, Item: { ...keys.apiKeyLookup(key.keyId), ...lookup }, ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
    }),
  );
}

/** The caller's keys, newest first (ULID ids), cursor-paginated. */
export async function listApiKeys(table: string, userId: string, options: { limit: number; cursor?: string }) {
  const pk = keys.userPk(userId);
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.apiKeySkPrefix },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { PK: pk }),
    }),
  );
  return { apiKeys: (page.Items ?? []).map((item) => withoutKeys(item) as unknown as ApiKey), nextCursor: encodeCursor(page.LastEvaluatedKey) };
}

/** Revokes a key: its item (only the caller's: the condition is on their partition) and its lookup, together. */
export async function deleteApiKey(table: string, userId: string, keyId: string): Promise<void> {
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table, Key: keys.apiKey(userId, keyId), ConditionExpression: 'attribute_exists(PK)' } },
          { Delete: { TableName: table, Key: keys.apiKeyLookup(keyId) } },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') throw apiKeyNotFound(keyId);
    throw error;
  }
}

/** The lookup item of a key id, for the authorizer (consistent: a revoked key is gone at once). */
export async function findApiKeyLookup(table: string, keyId: string): Promise<ApiKeyLookup | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.apiKeyLookup(keyId), ConsistentRead: true }));
  return Item && (withoutKeys(Item) as unknown as ApiKeyLookup);
}

/** The lookup keys of the creator's API keys among `items` (keys of the creator's partition), for the account deletion. */
export function apiKeyLookupsOf(items: Record<string, unknown>[]): Record<string, string>[] {
  return items
    .map((item) => String(item.SK))
    .filter((sk) => sk.startsWith(keys.apiKeySkPrefix))
    .map((sk) => keys.apiKeyLookup(sk.slice(keys.apiKeySkPrefix.length)));
}
