import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError, ValidationError } from '../core/errors';

/**
 * Stripe-style idempotency keys: the first request with a key runs, later requests with the same
 * key and the same parameters get its response again, for 24 hours.
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
export const KEY_LIFETIME_SECONDS = 24 * 60 * 60;
/**
 * How long a claim blocks the key while its request runs. Longer than any API function may run
 * (they time out after 10 s; API Gateway gives up after 30 s), so a request that died without
 * releasing its claim frees the key again instead of locking it for a day.
 */
export const CLAIM_LEASE_SECONDS = 60;

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export type StoredResponse = Required<Pick<APIGatewayProxyStructuredResultV2, 'statusCode' | 'headers' | 'body'>>;

export interface IdempotencyRecord {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  /** Epoch seconds; the table's TTL attribute. */
  expiresAt: number;
  /** Epoch seconds; while in progress, the claim's lease. */
  lockedUntil?: number;
  response?: StoredResponse;
}

/** The request's key, or undefined when it sends none; a malformed key is a 400 naming the header. */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError([{ path: `header.${IDEMPOTENCY_HEADER}`, message: 'must be 1 to 255 printable ASCII characters' }]);
  }
  return key;
}

/** JSON with object keys sorted at every level, so equal parameters always hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** SHA-256 of the route and its validated parameters: what "the same request" means for a key. */
export function requestFingerprint(routeId: string, params: unknown, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ routeId, params, body })).digest('hex');
}

/** The response a request gets when its key is already claimed: the stored one, or an error. */
export function responseForClaimedKey(existing: IdempotencyRecord, fingerprint: string): StoredResponse {
  if (existing.fingerprint !== fingerprint) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request; use a new key for a new request',
    );
  }
  if (existing.status !== 'completed' || !existing.response) {
    throw new DomainError('IN_PROGRESS', 'A request with this Idempotency-Key is still running; retry shortly');
  }
  return { ...existing.response, headers: { ...existing.response.headers, [REPLAYED_HEADER]: 'true' } };
}
