import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { newJobId } from './jobs';

/**
 * Webhook rules that need no AWS: ids, secrets, signatures, backoff. The verification helper
 * (`verifyWebhookSignature`) is what a receiver copies; README shows it.
 */

/** Deliveries and their attempts are kept this long (TTL). */
export const DELIVERY_TTL_DAYS = 30;

export const SIGNATURE_HEADER = 'crescendo-signature';
export const DELIVERY_HEADER = 'crescendo-delivery';
export const EVENT_HEADER = 'crescendo-event';
/** Receivers should refuse signatures older than this (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** A delivery's id is derived from the event and the subscription, so emitting an event again never delivers it twice. */
export function deliveryIdOf(eventId: string, webhookId: string, occurredAt: string): string {
  return newJobId(Date.parse(occurredAt), createHash('sha256').update(`${eventId}#${webhookId}`).digest());
}

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` */
export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * Checks a `Crescendo-Signature` header against the raw request body: the HMAC of
 * `timestamp + "." + body` with the subscription's secret, compared in constant time, and the
 * timestamp no further than `toleranceSeconds` from `nowSeconds` (a captured delivery cannot be
 * replayed later). Use the body exactly as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  header: string | undefined | null,
  { toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS, nowSeconds = Math.floor(Date.now() / 1000) } = {},
): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Wait before attempt `attempt` (1-based; the first has none): base, 2×base, 4×base… */
export function backoffMs(attempt: number, baseMs: number): number {
  return attempt <= 1 ? 0 : baseMs * 2 ** (attempt - 2);
}

/** A response status that counts as delivered. */
export const isDelivered = (status: number) => status >= 200 && status < 300;
