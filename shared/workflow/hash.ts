import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: a value read back from DynamoDB (whose maps keep no
 * key order) hashes like the value that was written.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}

/** SHA-256 (hex) of the stable JSON of `value`: the identity of a task's inputs. */
export function inputHash(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}
