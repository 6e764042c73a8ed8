import { describe, expect, it } from 'vitest';
import { thirtyDayDesign } from '../support/learning-sim';
import { simulatePacingError, simulatePrediction } from '../support/pacing-sim';

/** The simulator at CI size (`npm run bench -- learning` runs 200 creators). */
describe('pacing and prediction on simulated creators', () => {
  it('the projection gets closer as days pass, and its 80 % interval holds the final about 80 % of the time', () => {
    const summary = simulatePacingError(thirtyDayDesign, 40, 'ci|pacing');
    const [day7, day14] = summary.at;
    expect(day14!.medianAbsoluteError).toBeLessThan(day7!.medianAbsoluteError);
    for (const at of summary.at) {
      expect(at.coverage).toBeGreaterThan(0.65);
      expect(at.coverage).toBeLessThan(0.95);
    }
  });

  it('predictions fitted on earlier campaigns rank the next campaign’s posts, below the planted truth’s ceiling', () => {
    const strong = { ...thirtyDayDesign, planted: { pillar: { Tips: 2 }, hookStyle: { question: 0.5 } } };
    const summary = simulatePrediction(strong, 24, 3, 'ci|prediction');
    expect(summary.medianSpearman).toBeGreaterThan(0.15);
    expect(summary.medianSpearman).toBeLessThanOrEqual(summary.medianOracleSpearman);
  });
});
