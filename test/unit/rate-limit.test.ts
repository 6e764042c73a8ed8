import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockSize, nextGrant, outstandingCap, remainingAfter, windowOf } from '../../shared/domain/rate-limit';
import { plans } from '../../shared/domain/plans';

describe('rate limit arithmetic', () => {
  it('leases blocks of 1/40 of the limit, and lets at most two of them (≤ max(2, 5 % of the limit)) sit unspent', () => {
    expect(Object.values(plans).map((plan) => blockSize(plan.requestsPerMinute))).toEqual([15, 30, 150]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (limit) => {
        expect(blockSize(limit)).toBeGreaterThanOrEqual(1);
        expect(outstandingCap(limit)).toBe(2 * blockSize(limit));
        expect(outstandingCap(limit)).toBeLessThanOrEqual(Math.max(2, 0.05 * limit));
      }),
    );
  });

  it('asks for a full block when it knows nothing of the window', () => {
    expect(nextGrant(600, 15)).toEqual({ size: 15, single: false });
  });

  it('grants within the allowance left and, as a block, within the cap on unspent blocks; one request on its own otherwise', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }).chain((limit) =>
          fc.record({
            limit: fc.constant(limit),
            avail: fc.integer({ min: 0, max: limit }),
            lent: fc.integer({ min: 0, max: outstandingCap(limit) }),
            returning: fc.integer({ min: 0, max: blockSize(limit) }),
          }),
        ),
        ({ limit, avail, lent, returning }) => {
          fc.pre(returning <= lent);
          const grant = nextGrant(limit, returning, { limit, avail, lent });
          if (avail < 1) {
            expect(grant).toBeUndefined();
            return;
          }
          expect(grant!.size).toBeGreaterThanOrEqual(1);
          expect(grant!.size).toBeLessThanOrEqual(Math.min(avail, blockSize(limit)));
          if (grant!.single) expect(grant!.size).toBe(1);
          else expect(lent - returning + grant!.size).toBeLessThanOrEqual(outstandingCap(limit));
        },
      ),
    );
  });

  it('tells what is left: the window after the grant plus the rest of the block', () => {
    expect(remainingAfter({ limit: 600, size: 15, spent: 1, availAfterGrant: 585, lent: 15 })).toBe(599);
    expect(windowOf(125)).toBe(120);
  });
});
