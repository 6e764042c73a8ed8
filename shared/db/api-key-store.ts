import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { API_KEY_COUNT, firstConditionFailed, returnCountUnit, takeCountUnit } from './account-store';
import type { ApiKey } from '../schemas/api-keys';
import type { ApiKeyScope } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { createOnce } from './put-once';
import { queryUserPage } from './user-page';

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

/**
 * Stores a key while the creator has fewer than `max`: the key, its lookup and an `ADD` to the user
 * item's key count conditioned on it being under `max`, in one transaction, so concurrent
 * creations cannot pass the limit together (revocation gives the unit back). The user item is
 * upserted with it, for a creator whose Clerk webhook has not arrived. False when the limit is reached.
 */
export async function putApiKey(table: string, userId: string, key: ApiKey, tokenHash: string, max: number): Promise<boolean> {
  const lookup: ApiKeyLookup = {
    keyId: key.keyId,
    userId,
    scopes: key.scopes,
    tokenHash,
    ...(key.expiresAt && { expiresAt: key.expiresAt }),
  };
  try {
    await createOnce(
      table,
      [takeCountUnit(table, userId, key.createdAt, API_KEY_COUNT, max)],
      [
        { ...keys.apiKey(userId, key.keyId), ...key },
        { ...keys.apiKeyLookup(key.keyId), ...lookup },
      ],
    );
    return true;
  } catch (error) {
    if (firstConditionFailed(error)) return false;
    throw error;
  }
}

/** The caller's keys, newest first (ULID ids), cursor-paginated. */
export async function listApiKeys(table: string, userId: string, options: { limit: number; cursor?: string }) {
  const page = await queryUserPage(table, userId, keys.apiKeySkPrefix, options);
  return { apiKeys: page.items.map((item) => withoutKeys(item) as unknown as ApiKey), nextCursor: page.nextCursor };
}

/** Revokes a key: its item (only the caller's: the condition is on their partition), its lookup and its unit of the count, together. */
export async function deleteApiKey(table: string, userId: string, keyId: string): Promise<void> {
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table, Key: keys.apiKey(userId, keyId), ConditionExpression: 'attribute_exists(PK)' } },
          { Delete: { TableName: table, Key: keys.apiKeyLookup(keyId) } },
          returnCountUnit(table, userId, API_KEY_COUNT),
        ],
      }),
    );
  } catch (error) {
    if (firstConditionFailed(error)) throw apiKeyNotFound(keyId);
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
