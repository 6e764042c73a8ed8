import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScoredPost } from '../../shared/domain/evidence';
import { isReplannable, proposeReplan, REPLAN_DIMENSIONS, unwrittenByReplan, type ReplanSlot } from '../../shared/domain/replan';

const PILLARS = ['budgeting', 'investing', 'saving'];
const FORMATS = ['post', 'thread'];
const BANDS = ['morning', 'afternoon', 'evening'];
const candidates = { pillar: PILLARS, format: FORMATS, hourBand: BANDS };

const slotArbitrary = fc.record({
  id: fc.string({ minLength: 1, maxLength: 6 }),
  platform: fc.constantFrom('x' as const, 'bluesky' as const),
  arms: fc.record({
    pillar: fc.constantFrom(...PILLARS, 'retired'),
    format: fc.constantFrom(...FORMATS),
    hourBand: fc.constantFrom(...BANDS),
  }),
  locked: fc.boolean(),
});
const slotsArbitrary = fc.uniqueArray(slotArbitrary, { selector: (slot) => slot.id, maxLength: 30 });
const scoredArbitrary = fc.array(
  fc.record({
    id: fc.string({ maxLength: 4 }),
    z: fc.double({ min: -4, max: 4, noNaN: true }),
    arms: fc.record(
      { pillar: fc.constantFrom(...PILLARS), format: fc.constantFrom(...FORMATS), hourBand: fc.constantFrom(...BANDS) },
      { requiredKeys: [] },
    ),
  }),
  { maxLength: 40 },
);

describe('proposeReplan', () => {
  it('never changes a locked slot, changes only open slots whose arms move, and moves them only to candidates', () => {
    fc.assert(
      fc.property(slotsArbitrary, scoredArbitrary, fc.string(), (slots, scored, seed) => {
        const changes = proposeReplan(slots, scored, { seed, candidates });
        const byId = new Map(slots.map((slot) => [slot.id, slot]));
        for (const change of changes) {
          const slot = byId.get(change.id)!;
          expect(slot.locked).toBe(false);
          expect(change.before).toEqual(slot.arms);
          expect(change.after).not.toEqual(change.before);
          for (const dimension of REPLAN_DIMENSIONS) {
            if (change.after[dimension] !== change.before[dimension]) expect(candidates[dimension]).toContain(change.after[dimension]);
          }
          expect(change.why).toMatch(/^Re-planned on \d+ scored posts: .+ replaces .+\.$/);
        }
        expect(new Set(changes.map((change) => change.id)).size).toBe(changes.length);
      }),
    );
  });

  it('is deterministic per seed, and a slot draws the same whatever other slots are open', () => {
    fc.assert(
      fc.property(slotsArbitrary, scoredArbitrary, fc.string(), (slots, scored, seed) => {
        const changes = proposeReplan(slots, scored, { seed, candidates });
        expect(proposeReplan([...slots].reverse(), scored, { seed, candidates })).toEqual(changes);
        const locked = new Set(slots.filter((_, index) => index % 2 === 0).map((slot) => slot.id));
        const fewer = proposeReplan(
          slots.map((slot) => ({ ...slot, locked: slot.locked || locked.has(slot.id) })),
          scored,
          { seed, candidates },
        );
        expect(fewer).toEqual(changes.filter((change) => !locked.has(change.id)));
      }),
    );
  });

  it('moves nothing without a scored post among the candidates (no evidence, no re-plan)', () => {
    const slots: ReplanSlot[] = Array.from({ length: 20 }, (_, i) => ({
      id: `${i + 1}#x`,
      platform: 'x',
      arms: { pillar: 'investing', format: 'post', hourBand: 'morning' },
      locked: false,
    }));
    expect(proposeReplan(slots, [], { seed: 's', candidates })).toEqual([]);
    const otherArms: ScoredPost[] = [{ id: '1#x', z: 2, arms: { pillar: 'crypto' } }];
    expect(proposeReplan(slots, otherArms, { seed: 's', candidates })).toEqual([]);
    expect(proposeReplan(slots, [{ id: '1#x', z: 2, arms: { pillar: 'saving' } }], { seed: 's', candidates: {} })).toEqual([]);
  });

  it('moves most open slots to an arm that clearly scores better, and says why with the evidence', () => {
    const scored: ScoredPost[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ id: `${i + 1}#x`, z: 1.5, arms: { pillar: 'budgeting' } })),
      ...Array.from({ length: 8 }, (_, i) => ({ id: `${i + 9}#x`, z: -1.5, arms: { pillar: 'investing' } })),
    ];
    const slots: ReplanSlot[] = Array.from({ length: 40 }, (_, i) => ({
      id: `${i + 20}#x`,
      platform: 'x',
      arms: { pillar: 'investing', format: 'post', hourBand: 'morning' },
      locked: i < 10,
    }));
    const changes = proposeReplan(slots, scored, { seed: 'clear', candidates: { pillar: ['budgeting', 'investing'] } });
    expect(changes.length).toBeGreaterThanOrEqual(28);
    expect(changes.every((change) => change.after.pillar === 'budgeting' && change.after.hourBand === 'morning')).toBe(true);
    expect(changes[0]!.why).toBe(
      'Re-planned on 16 scored posts: pillar "budgeting" (8 scored posts, posterior mean +1.33) replaces "investing" (8 scored posts, posterior mean −1.33).',
    );
  });

  it('keeps an arm no longer among the candidates in play, and names an arm without evidence as such', () => {
    const scored: ScoredPost[] = Array.from({ length: 6 }, (_, i) => ({ id: `${i}#x`, z: -2, arms: { pillar: 'retired' } }));
    const slots: ReplanSlot[] = [
      { id: 'a', platform: 'x', arms: { pillar: 'retired', format: 'post', hourBand: 'evening' }, locked: false },
    ];
    const [change] = proposeReplan(slots, [...scored, { id: 'b', z: 0, arms: { pillar: 'saving' } }], {
      seed: 'k',
      candidates: { pillar: ['saving', 'budgeting'] },
    });
    expect(['saving', 'budgeting']).toContain(change!.after.pillar);
    expect(change!.why).toContain('replaces "retired" (6 scored posts, posterior mean −1.71)');
  });
});

describe('isReplannable', () => {
  const post = (date: string, dueAt: string, changes: object = {}) => ({
    date,
    dueAt,
    approval: { state: 'pending' },
    revisions: [],
    ...changes,
  });
  // 23:30 on 7 December in UTC is already 8 December in Auckland (UTC+13).
  const now = '2026-12-07T23:30:00.000Z';

  it("leaves the creator's today alone, in the creator's zone, and takes later open posts", () => {
    expect(isReplannable(post('2026-12-08', '2026-12-08T09:00:00.000Z'), now, 'UTC')).toBe(true);
    expect(isReplannable(post('2026-12-08', '2026-12-08T09:00:00.000Z'), now, 'Pacific/Auckland')).toBe(false);
    expect(isReplannable(post('2026-12-09', '2026-12-08T20:00:00.000Z'), now, 'Pacific/Auckland')).toBe(true);
  });

  it('never takes a posted, approved, edited or past post', () => {
    const later = ['2026-12-10', '2026-12-10T09:00:00.000Z'] as const;
    expect(isReplannable(post(...later, { postStatus: 'posted' }), now)).toBe(false);
    expect(isReplannable(post(...later, { approval: { state: 'approved' } }), now)).toBe(false);
    expect(isReplannable(post(...later, { revisions: [{ by: 'creator' }] }), now)).toBe(false);
    expect(isReplannable(post('2026-12-10', '2026-12-07T09:00:00.000Z'), now)).toBe(false);
  });
});

describe('unwrittenByReplan', () => {
  const before = { title: 'Five pantry dinners', hook: 'Dinner in 10 minutes?' };
  it('is true only for a post re-plan n marked whose title and hook are still the ones it recorded', () => {
    expect(unwrittenByReplan({ replan: 2, before, ...before }, 2)).toBe(true);
    expect(unwrittenByReplan({ replan: 2, before, title: 'Batch-cook Sunday', hook: before.hook }, 2)).toBe(false);
    expect(unwrittenByReplan({ replan: 2, before, title: before.title, hook: 'A new opening' }, 2)).toBe(false);
    // Another re-plan's mark, or none: not this re-plan's to give back.
    expect(unwrittenByReplan({ replan: 1, before, ...before }, 2)).toBe(false);
    expect(unwrittenByReplan({ ...before }, 2)).toBe(false);
    expect(unwrittenByReplan({ replan: 2, ...before }, 2)).toBe(false);
  });

  it('reads an absent title or hook as empty on both sides', () => {
    expect(unwrittenByReplan({ replan: 3, before: {}, title: '', hook: undefined }, 3)).toBe(true);
    expect(unwrittenByReplan({ replan: 3, before: { title: 'T' } }, 3)).toBe(false);
  });
});
