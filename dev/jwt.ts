import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/**
 * Development stand-in for Clerk: an RS256 key pair generated once into the data folder.
 * Issuer and audience mirror what the cloud's JWT authorizer is configured with.
 */
export const LOCAL_ISSUER = 'https://auth.crescendo.local';
export const LOCAL_AUDIENCE = 'crescendo-api';
/** The local front end's origin: every development token names it as `azp`, and the local stack accepts only it. */
export const LOCAL_AUTHORIZED_PARTY = 'http://localhost:5173';
const KEY_ID = 'crescendo-local-dev';
const ALG = 'RS256';

export interface DevKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwks: { keys: JWK[] };
}

const keyPaths = (dataDir: string) => ({ privatePath: join(dataDir, 'jwt-private.pem'), publicPath: join(dataDir, 'jwks.json') });

export function devKeysExist(dataDir: string): boolean {
  const { privatePath, publicPath } = keyPaths(dataDir);
  return existsSync(privatePath) && existsSync(publicPath);
}

export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const { privatePath, publicPath } = keyPaths(dataDir);
  if (!devKeysExist(dataDir)) {
    mkdirSync(dataDir, { recursive: true });
    const pair = await generateKeyPair(ALG, { extractable: true });
    writeFileSync(privatePath, await exportPKCS8(pair.privateKey), { mode: 0o600 });
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: KEY_ID, alg: ALG, use: 'sig' };
    writeFileSync(publicPath, JSON.stringify({ keys: [jwk] }, null, 2));
  }
  const jwks = JSON.parse(readFileSync(publicPath, 'utf8')) as { keys: JWK[] };
  return {
    privateKey: await importPKCS8(readFileSync(privatePath, 'utf8'), ALG),
    publicKey: (await importJWK(jwks.keys[0], ALG)) as CryptoKey,
    jwks,
  };
}

export interface TokenOptions {
  expiresIn?: string;
  issuer?: string;
  audience?: string;
  claims?: JWTPayload;
}

export function signDevToken(keys: DevKeys, userId: string, options: TokenOptions = {}): Promise<string> {
  return new SignJWT({ azp: LOCAL_AUTHORIZED_PARTY, ...options.claims })
    .setProtectedHeader({ alg: ALG, kid: KEY_ID, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(options.issuer ?? LOCAL_ISSUER)
    .setAudience(options.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(keys.privateKey);
}

/** Checks what API Gateway's JWT authorizer checks: the signing key by kid, signature (RS256 only), issuer, audience, expiry and not-before. */
export async function verifyBearer(keys: DevKeys, authorization: string | undefined): Promise<JWTPayload | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  try {
    // The key is chosen by the token's kid from the key set, as API Gateway picks it from the issuer's JWKS.
    const { payload } = await jwtVerify(match[1], createLocalJWKSet(keys.jwks), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
    });
    return payload;
  } catch {
    return undefined;
  }
}

/**
 * The development key set over HTTP, as Clerk publishes its own (`<issuer>/.well-known/jwks.json`):
 * the bearer authorizer fetches it from JWT_JWKS_URL in both places.
 */
export async function serveJwks(keys: DevKeys): Promise<{ url: string; close(): Promise<void> }> {
  const body = JSON.stringify(keys.jwks);
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
