import { createHash } from 'node:crypto';

/**
 * The marker Crescendo puts on a published post to find it again after an unknown outcome: a
 * digest of the text (NFC, trimmed). A platform with a record field keeps it there; X keeps no
 * hidden field, so its lookup compares the digest of each recent tweet's text. A tweet whose links
 * X rewrote no longer matches: its post stays `unknown` (notified) rather than being sent twice.
 */
export function markerOf(text: string): string {
  return `cr1-${createHash('sha256').update(text.normalize('NFC').trim()).digest('base64url').slice(0, 22)}`;
}
