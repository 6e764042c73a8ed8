import { describe, expect, it } from 'vitest';
import { dayRanges, windowContaining } from '../../shared/domain/due-window';
import { dueShard, DUE_SHARDS, keys } from '../../shared/db/keys';

describe('posting window', () => {
  it('aligns to 15-minute boundaries so overlapping invocations agree', () => {
    const { start, end } = windowContaining(new Date('2026-03-01T10:07:42Z'));
    expect(start.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-01T10:15:00.000Z');
  });

  it('is one day range inside a day and two across midnight UTC', () => {
    expect(dayRanges(new Date('2026-03-01T10:00:00Z'), new Date('2026-03-01T10:15:00Z'))).toEqual([
      { day: '2026-03-01', from: '10:00', to: '10:15' },
    ]);
    expect(dayRanges(new Date('2026-03-01T23:50:00Z'), new Date('2026-03-02T00:05:00Z'))).toEqual([
      { day: '2026-03-01', from: '23:50', to: '24:00' },
      { day: '2026-03-02', from: '00:00', to: '00:05' },
    ]);
  });

  it('spreads campaigns over every shard, deterministically', () => {
    const shards = new Set(Array.from({ length: 500 }, (_, i) => dueShard(`user-${i}`, 'c1')));
    expect(shards.size).toBe(DUE_SHARDS);
    expect(dueShard('u', 'c')).toBe(dueShard('u', 'c'));
    expect(keys.duePk('2026-03-01', 3)).toBe('DUE#2026-03-01#03');
  });
});
