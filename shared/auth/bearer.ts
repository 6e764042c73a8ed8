import type { JWTVerifyGetKey } from 'jose';
import { commaList, type Config } from '../core/config';
import { findApiKeyLookup } from '../db/api-key-store';
import { apiKeyIdOf, isApiKeyExpired, looksLikeApiKey, matchesApiKeyHash } from '../domain/api-keys';
import type { AuthorizerContext } from '../http/identity';
import { logger } from '../core/logger';

type BearerConfig = Pick<Config, 'TABLE_NAME' | 'JWT_ISSUER' | 'JWT_AUDIENCE' | 'JWT_JWKS_URL'>;

let jose: Promise<typeof import('jose')> | undefined;

/**
 * jose (19 KB), imported at the first JWT verification: a chunk of the bundle (infra/bundle.ts)
 * that an instance answering only API keys never loads, and that the MCP server's cold start does
 * not carry (issue 22). Later verifications await the settled import only.
 */
function importJose(): Promise<typeof import('jose')> {
  if (!jose) {
    jose = import('jose');
    // A failed import is not cached: the next verification tries again.
    jose.catch(() => (jose = undefined));
  }
  return jose;
}

/**
 * The bearer authorizer's decision: who `Authorization: Bearer <token>` is, or undefined (401).
 * - `crk_…`: an API key; its lookup item (one GetItem) must exist (a revoked key's is deleted),
 *   match the token's SHA-256 and not be expired. The identity is the key's user and scopes only.
 * - anything else: a Clerk JWT, checked as API Gateway's JWT authorizer checks it (RS256 signature
 *   against the issuer's JWKS, issuer, audience, expiry, not-before).
 */
export function bearerAuthenticator(config: BearerConfig) {
  const jwksUrl = new URL(config.JWT_JWKS_URL);
  // jose caches the key set and refetches it when a token names an unknown key id (rotation).
  let jwks: JWTVerifyGetKey | undefined;
  const audience = commaList(config.JWT_AUDIENCE);

  async function apiKeyIdentity(token: string, now: Date): Promise<AuthorizerContext | undefined> {
    const keyId = apiKeyIdOf(token);
    if (!keyId) return undefined;
    const lookup = await findApiKeyLookup(config.TABLE_NAME, keyId);
    if (!lookup || !matchesApiKeyHash(token, lookup.tokenHash)) return undefined;
    if (isApiKeyExpired(lookup.expiresAt, now)) {
      logger.info('expired API key refused', { keyId });
      return undefined;
    }
    return { userId: lookup.userId, authType: 'apiKey', scopes: lookup.scopes.join(' '), keyId, azp: '' };
  }

  async function jwtIdentity(token: string): Promise<AuthorizerContext | undefined> {
    try {
      const { createRemoteJWKSet, jwtVerify } = await importJose();
      jwks ??= createRemoteJWKSet(jwksUrl);
      const { payload } = await jwtVerify(token, jwks, { issuer: config.JWT_ISSUER, audience, algorithms: ['RS256'] });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
      return { userId: payload.sub, authType: 'jwt', scopes: '', keyId: '', azp: typeof payload.azp === 'string' ? payload.azp : '' };
    } catch (error) {
      logger.info('JWT refused', { reason: (error as Error).message });
      return undefined;
    }
  }

  return async function authenticate(authorization: string | undefined, now = new Date()): Promise<AuthorizerContext | undefined> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    return looksLikeApiKey(token) ? apiKeyIdentity(token, now) : jwtIdentity(token);
  };
}
