import { readUser } from '../db/account-store';
import { putApiKey } from '../db/api-key-store';
import { issueApiKey } from '../domain/api-keys';
import { plans } from '../domain/plans';
import { quotaExceeded } from '../domain/quotas';
import type { ApiKey, CreateApiKey } from '../schemas/api-keys';

/**
 * Creates an API key within the plan's `apiKeys` limit (402 QUOTA_EXCEEDED past it; the store's
 * conditional count decides between concurrent creations) and returns it with the token, which is
 * never readable again (only its hash is stored).
 */
export async function createApiKey(table: string, userId: string, request: CreateApiKey, now: Date): Promise<ApiKey & { key: string }> {
  const { tier, apiKeys } = await readUser(table, userId);
  const max = plans[tier].apiKeys;
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
  if (apiKeys >= max || !(await putApiKey(table, userId, apiKey, issued.tokenHash, max)))
    throw quotaExceeded('apiKeys', Math.max(apiKeys, max) + 1, max);
  return { ...apiKey, key: issued.token };
}
