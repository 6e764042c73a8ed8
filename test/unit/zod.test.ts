import { describe, expect, it } from 'vitest';
import * as z from '../../shared/schemas/zod';

describe('the one zod (shared/schemas/zod.ts)', () => {
  it('withMeta registers its metadata on a copy, as classic .meta() did, and leaves the original as it was', () => {
    const name = z.string().check(z.minLength(1));
    const described = z.withMeta(name, { description: 'A display name', example: 'Ada' });
    expect(described).not.toBe(name);
    expect(z.globalRegistry.get(described)).toEqual({ description: 'A display name', example: 'Ada' });
    expect(z.globalRegistry.get(name)).toBeUndefined();
    expect(z.toJSONSchema(described)).toMatchObject({ type: 'string', minLength: 1, description: 'A display name' });
    expect(described.safeParse('').success).toBe(false);
  });

  it('answers in English, as classic zod did: a 400 names what is wrong, not "Invalid input"', () => {
    const result = z.object({ name: z.string().check(z.minLength(2)) }).safeParse({ name: 'a' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toBe('Too small: expected string to have >=2 characters');
  });
});
