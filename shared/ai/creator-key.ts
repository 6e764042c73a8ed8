import { readConfig } from '../core/config';
import { readAiKey, touchAiKey } from '../db/ai-key-store';
import { configuredKeyWrapper, openSecret } from '../crypto/envelope-encryption';

/**
 * The creator's own Gemini key (PUT /account/ai-key), for that creator's agent calls. The item is
 * read at every call (one GetItem), so a deleted or replaced key takes effect at once; the
 * decrypted key is kept per container for CREATOR_KEY_CACHE_MS, keyed by the key's `addedAt`, so
 * a warm agent Lambda pays one KMS Decrypt per creator and key every few minutes rather than one
 * per call. A key that cannot be opened fails the call: it never silently moves to the platform's key.
 */
export const CREATOR_KEY_CACHE_MS = 5 * 60_000;

export interface CreatorKey {
  apiKey: string;
  addedAt: string;
}

const opened = new Map<string, CreatorKey & { until: number }>();

export async function resolveCreatorKey(userId: string, now = Date.now()): Promise<CreatorKey | undefined> {
  const record = await readAiKey(table(), userId);
  if (!record?.sealed) {
    opened.delete(userId);
    return undefined;
  }
  const cached = opened.get(userId);
  if (cached && cached.addedAt === record.addedAt && cached.until > now) return { apiKey: cached.apiKey, addedAt: cached.addedAt };
  const apiKey = await openSecret(configuredKeyWrapper(), userId, record.sealed);
  opened.set(userId, { apiKey, addedAt: record.addedAt, until: now + CREATOR_KEY_CACHE_MS });
  return { apiKey, addedAt: record.addedAt };
}

/** `lastUsedAt` of the key that answered (GET /account/ai-key shows it). */
export function noteCreatorKeyUse(userId: string, key: CreatorKey, at = new Date()): Promise<void> {
  return touchAiKey(table(), userId, key.addedAt, at.toISOString());
}

const table = () => readConfig(['TABLE_NAME']).TABLE_NAME;
