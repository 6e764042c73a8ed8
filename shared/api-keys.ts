import { countApiKeys, putApiKey } from './db/api-key-store';
import { readUser } from './db/account-store';
import { issueApiKey } from './domain/api-keys';
import { plans } from './domain/plans';
import { DomainError } from './errors';
import type { ApiKey, CreateApiKey } from './schemas/api-keys';

/**
 * Creates an API key within the plan's `apiKeys` limit and returns it with the token, which is
 * never readable again (only its hash is stored). The limit is checked on a read first: two
 * concurrent creations may end one over, which bounds nothing that matters.
 */
export async function createApiKey(table: string, userId: string, request: CreateApiKey, now: Date): Promise<ApiKey & { key: string }> {
  const [{ tier }, count] = await Promise.all([readUser(table, userId), countApiKeys(table, userId)]);
  const max = plans[tier].apiKeys;
  if (count >= max) {
    throw new DomainError('API_KEY_LIMIT_REACHED', `The ${tier} plan allows ${max} API keys; revoke one first`, { limit: 'apiKeys', usage: count, limitValue: max });
  }
  const issued = issueApiKey(now.getTime());
  const apiKey: ApiKey = {
    keyId: issued.keyId,
    name: request.name,
    scopes: request.scopes,
    prefix: issued.prefix,
    last4: issued.last4,
    ...(request.expiresAt && { expiresAt: new Date(request.expiresAt).toISOString() }),
    createdAt: now.toISOString(),
  };
  await putApiKey(table, userId, apiKey, issued.tokenHash);
  return { ...apiKey, key: issued.token };
}
