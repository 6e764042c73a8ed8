import { checkGeminiKey, creatorModels, OFFLINE_MODEL, readAiConfig } from '../ai';
import { aiKeyView, deleteAiKey, putAiKey, readAiKey, type AiKeyView } from '../db/ai-key-store';
import { configuredKeyWrapper, sealSecret } from '../crypto/envelope-encryption';
import { DomainError } from '../core/errors';

/**
 * Bring your own Gemini key (PUT/GET/DELETE /account/ai-key). The key is checked with one free
 * request to Gemini, then stored sealed (shared/crypto/envelope-encryption.ts); the agents open it for that creator's
 * calls (shared/ai/creator-key.ts). Nothing but the last four characters and dates is ever returned.
 */

/** The key check's deadline: it runs inside an API function (10 s). */
const CHECK_TIMEOUT_MS = 5_000;

export async function storeAiKey(table: string, userId: string, apiKey: string, now: string): Promise<AiKeyView> {
  const config = readAiConfig();
  const model = creatorModels(config.models).find((name) => name !== OFFLINE_MODEL)!;
  const check = await checkGeminiKey(apiKey, model, Math.min(config.timeoutMs, CHECK_TIMEOUT_MS));
  if (check === 'invalid') throw new DomainError('AI_KEY_INVALID', 'Gemini refused this API key; nothing was stored');
  if (check === 'unavailable')
    throw new DomainError('AI_KEY_UNVERIFIED', 'Gemini could not be reached to check the key; nothing was stored, try again');
  const record = { last4: apiKey.slice(-4), addedAt: now, sealed: await sealSecret(configuredKeyWrapper(), userId, apiKey) };
  await putAiKey(table, userId, record);
  return aiKeyView(record);
}

export async function getAiKey(table: string, userId: string): Promise<AiKeyView> {
  const record = await readAiKey(table, userId);
  if (!record) throw new DomainError('AI_KEY_NOT_FOUND', 'No Gemini key of yours is stored');
  return aiKeyView(record);
}

/** Idempotent: deleting a key that is not there changes nothing. */
export async function removeAiKey(table: string, userId: string): Promise<void> {
  await deleteAiKey(table, userId);
}
