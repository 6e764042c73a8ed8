import { DomainError } from '../core/errors';

/**
 * Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded. A cursor is only
 * accepted for the partition it came from, so a cursor from another user or list is a 400.
 */
export function encodeCursor(lastKey: Record<string, unknown> | undefined): string | undefined {
  return lastKey ? Buffer.from(JSON.stringify(lastKey)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined, expected: Record<string, string>): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    Object.values(key).every((value) => typeof value === 'string') &&
    Object.entries(expected).every(([attribute, value]) => (key as Record<string, unknown>)[attribute] === value);
  if (!valid) throw new DomainError('INVALID_CURSOR', 'The cursor is malformed or does not belong to this list');
  return key as Record<string, unknown>;
}
