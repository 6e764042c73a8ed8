import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noEffectDesign, pairedCampaigns, simulateLift, strongDesign } from '../support/adaptive-sim';

/** The adaptation simulator at CI size (`npm run bench -- learning` runs 200 creators per row). */
describe('adaptive campaigns against the balanced plan, on the same simulated creators', () => {
  it('with ×2 / ×0.5 planted, pacing + re-plan + style tests raise the final views: the lift and its interval are above 0', () => {
    const summary = simulateLift(strongDesign, 20, 'ci|lift|strong');
    expect(summary.median.low).toBeGreaterThan(0);
    expect(summary.mean.low).toBeGreaterThan(0);
    expect(summary.improved).toBeGreaterThan(0.5);
    expect(summary.perCreator.replannedSlots).toBeGreaterThan(0);
    expect(summary.perCreator.restyledSlots).toBeGreaterThan(0);
  });

  it('with nothing planted, the lift’s interval covers 0: adaptation is not sold as a gain when there is nothing to learn', () => {
    const summary = simulateLift(noEffectDesign, 20, 'ci|lift|none');
    for (const estimate of [summary.median, summary.mean]) {
      expect(estimate.low).toBeLessThanOrEqual(0);
      expect(estimate.high).toBeGreaterThanOrEqual(0);
    }
    // The adaptive arm still moved slots: the control is not 0 by construction.
    expect(summary.perCreator.replannedSlots).toBeGreaterThan(0);
  });

  it('re-plans and style re-assignments change only slots after the day they run (past days are posted)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (seed) => {
        const { adaptive } = pairedCampaigns(strongDesign, seed);
        expect(adaptive.replans.length).toBeGreaterThan(0);
        for (const { day, changedDays } of [...adaptive.replans, ...adaptive.styleChanges]) {
          for (const changed of changedDays) expect(changed).toBeGreaterThan(day);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('is deterministic per seed', () => {
    expect(simulateLift(strongDesign, 3, 'ci|same')).toEqual(simulateLift(strongDesign, 3, 'ci|same'));
    expect(simulateLift(strongDesign, 3, 'ci|other').mean.value).not.toEqual(simulateLift(strongDesign, 3, 'ci|same').mean.value);
  });
});
