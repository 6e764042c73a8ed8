import * as z from 'zod/mini';

/**
 * Configuration comes from the environment only (set by CDK in the cloud, by dev/ in
 * development). Each handler reads what it needs once at module load; a missing value fails the
 * cold start loudly instead of a request later. Each setting's schema is built only when a function
 * reads it: a function reads a few of these forty, and building them all cost every cold start
 * about 3 ms (issue 21).
 */
const settings = {
  TABLE_NAME: () => z.string().check(z.minLength(1)),
  MEDIA_BUCKET_NAME: () => z.string().check(z.minLength(1)),
  STATE_MACHINE_ARN: () => z.string().check(z.minLength(1)),
  /** The campaign state machine's TimeoutSeconds (computed in infra/workflow.ts): a start's lease is this plus 5 minutes. */
  WORKFLOW_TIMEOUT_SECONDS: () => z.coerce.number().check(z.int(), z.positive()),
  /** The job worker a regeneration request invokes asynchronously. */
  REGENERATE_FUNCTION_NAME: () => z.string().check(z.minLength(1)),
  /** The job worker POST /campaigns/{id}/complete invokes asynchronously (outcome report, lessons). */
  REPORT_FUNCTION_NAME: () => z.string().check(z.minLength(1)),
  /** The account data worker (GDPR export and deletion) GET /account/export, DELETE /account and the Clerk webhook invoke asynchronously. */
  ACCOUNT_DATA_FUNCTION_NAME: () => z.string().check(z.minLength(1)),
  /** The bearer authorizer's JWT check, the same the JWT authorizer makes: Clerk's issuer URL, comma-separated audiences, and the JWKS it signs with. */
  JWT_ISSUER: () => z.string().check(z.minLength(1)),
  JWT_AUDIENCE: () => z.string().check(z.minLength(1)),
  JWT_JWKS_URL: () => z.url(),
  /** Comma-separated `azp` values accepted in JWTs; empty disables the check. */
  AUTH_AUTHORIZED_PARTIES: () => z._default(z.string(), ''),
  APP_VERSION: () => z._default(z.string(), '0.0.0'),
  /** Comma-separated browser origins for CORS headers (the cloud's HTTP API applies the same list). */
  CORS_ORIGINS: () => z._default(z.string(), '*'),
  /** The EventBridge bus every creator event is published to (integrators subscribe with rules). */
  EVENT_BUS_NAME: () => z.string().check(z.minLength(1)),
  /** The per-user rate limit of authenticated routes (shared/http/rate-limit.ts); `off` only in handler unit tests. */
  RATE_LIMIT: () => z._default(z.enum(['on', 'off']), 'on'),
  /** The Clerk webhook's Svix signing secret (`whsec_…`): set locally (an embedded dev secret); in the cloud the next one. */
  CLERK_WEBHOOK_SECRET: () => z.optional(z.string()),
  /** Secrets Manager secret whose SecretString is the Clerk webhook's signing secret (cloud). */
  CLERK_WEBHOOK_SECRET_ARN: () => z.optional(z.string()),
  /** The worker that delivers one signed webhook (invoked asynchronously per delivery). */
  WEBHOOK_DELIVERY_FUNCTION_NAME: () => z.string().check(z.minLength(1)),
  /** Local development only: lets webhook URLs be http:// and resolve to private or loopback addresses. Never set by CDK. */
  WEBHOOK_ALLOW_PRIVATE_URLS: () => z._default(z.enum(['true', 'false']), 'false'),
  /** Attempts per delivery, the backoff base between them (doubling), each attempt's timeout. */
  WEBHOOK_MAX_ATTEMPTS: () => z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10)), 4),
  WEBHOOK_RETRY_BASE_MS: () => z._default(z.coerce.number().check(z.int(), z.gte(0)), 2000),
  WEBHOOK_TIMEOUT_MS: () => z._default(z.coerce.number().check(z.int(), z.gte(100)), 5000),
  /** Consecutive failed deliveries after which a subscription is disabled (and its creator notified). */
  WEBHOOK_DISABLE_AFTER: () => z._default(z.coerce.number().check(z.int(), z.gte(1)), 5),
  /** The posting trigger's shard worker, invoked asynchronously once per (day range, shard) of a window. */
  POSTING_SHARD_FUNCTION_NAME: () => z.string().check(z.minLength(1)),
  /** Path-style S3 addressing, which s3rver needs and the SDK has no environment variable for. */
  S3_FORCE_PATH_STYLE: () => z._default(z.enum(['true', 'false']), 'false'),
  /** The customer-managed KMS key that wraps the data keys of creators' own Gemini keys (cloud; shared/crypto/envelope-encryption.ts). */
  AI_KEY_KMS_KEY_ARN: () => z.optional(z.string()),
  /** Local stack only: the 32-byte key file in the data folder that wraps those data keys when no KMS key is configured. */
  AI_KEY_LOCAL_KEY_FILE: () => z.optional(z.string()),
  /** X API v2 (shared/connectors/x.ts): the API's base URL and the OAuth authorization page; the local X server in dev/. */
  X_API_BASE_URL: () => z._default(z.url(), 'https://api.x.com'),
  X_AUTHORIZE_URL: () => z._default(z.url(), 'https://x.com/i/oauth2/authorize'),
  /** Crescendo's X app (client id and secret): from the environment locally, else the Secrets Manager secret below (JSON `{ clientId, clientSecret }`). */
  X_CLIENT_ID: () => z.optional(z.string()),
  X_CLIENT_SECRET: () => z.optional(z.string()),
  X_APP_SECRET_ARN: () => z.optional(z.string()),
  /** Comma-separated redirect URIs a connection may name; the first is the default. */
  CONNECTION_REDIRECT_URIS: () => z._default(z.string(), ''),
  /** Bluesky (shared/connectors/bluesky.ts): the account's PDS (or the bsky.social entryway) and the App View its counts are read from; the local PDS and App View in dev/. */
  BLUESKY_SERVICE_URL: () => z._default(z.url(), 'https://bsky.social'),
  BLUESKY_APPVIEW_URL: () => z._default(z.url(), 'https://public.api.bsky.app'),
  /** Each platform request's timeout; a publish that times out after sending is reconciled by its marker. */
  CONNECTOR_TIMEOUT_MS: () => z._default(z.coerce.number().check(z.int(), z.gte(100)), 10_000),
};

export type Config = { [K in keyof typeof settings]: z.output<ReturnType<(typeof settings)[K]>> };
type Key = keyof Config;

export function readConfig<K extends Key>(keys: readonly K[], env: NodeJS.ProcessEnv = process.env): Pick<Config, K> {
  const parsed = z.object(Object.fromEntries(keys.map((key) => [key, settings[key]()]))).safeParse(env);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Configuration invalid or missing: ${missing}`);
  }
  return parsed.data as unknown as Pick<Config, K>;
}

/** A comma-separated setting as a list. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
