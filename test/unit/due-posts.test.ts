import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startingAtRandom } from '../../shared/db/due-posts';

describe('the due posts of a shard, from a random one on', () => {
  it('keeps every post once, in index order from the start, wrapping around', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 50 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (items, r) => {
        const rotated = startingAtRandom(items, () => r);
        const start = Math.floor(r * items.length);
        expect(rotated).toEqual([...items.slice(start), ...items.slice(0, start)]);
        expect([...rotated].sort()).toEqual([...items].sort());
      }),
    );
    expect(startingAtRandom(['a', 'b', 'c'], () => 0.5)).toEqual(['b', 'c', 'a']);
  });
});
