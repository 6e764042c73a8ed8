import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newJobId } from './jobs';

/**
 * API keys for integrations: `crk_<keyId>_<secret>`, where keyId is a ULID (it names the key's
 * items, so the authorizer finds the key with one GetItem) and the secret is 32 random bytes
 * (256 bits, base64url). Only the SHA-256 of the whole token is stored.
 */

export const API_KEY_PREFIX = 'crk_';
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^crk_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;
/** What a listing shows of a key: enough to recognise it, far too little to use it. */
const VISIBLE_PREFIX_CHARS = 12;
const VISIBLE_LAST_CHARS = 4;

export interface IssuedApiKey {
  keyId: string;
  token: string;
  tokenHash: string;
  prefix: string;
  last4: string;
}

/**
 * SHA-256 without salt or stretching is enough here: the token carries 256 random bits, so no
 * dictionary or brute force can invert the hash, while a slow KDF (bcrypt, scrypt) would only add
 * latency to every uncached authorizer call. Salts and KDFs protect low-entropy passwords.
 */
export function hashApiKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function issueApiKey(now = Date.now(), random: Uint8Array = randomBytes(SECRET_BYTES)): IssuedApiKey {
  const keyId = newJobId(now);
  const token = `${API_KEY_PREFIX}${keyId}_${Buffer.from(random).toString('base64url')}`;
  return {
    keyId,
    token,
    tokenHash: hashApiKey(token),
    prefix: token.slice(0, VISIBLE_PREFIX_CHARS),
    last4: token.slice(-VISIBLE_LAST_CHARS),
  };
}

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_PREFIX);

/** The key id of a well-formed token, or undefined. */
export function apiKeyIdOf(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

/** Whether `token` is the one whose hash was stored (constant time). */
export function matchesApiKeyHash(token: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export const isApiKeyExpired = (expiresAt: string | undefined, now: Date) =>
  expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime();
