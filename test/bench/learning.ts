import { FAMILY_ALPHA } from '../../shared/domain/evidence';
import { nullDesign, simulate, SIGMA, thirtyDayDesign, twoArmDesign, type SimulationSummary } from '../support/learning-sim';

/**
 * `npm run bench -- learning`: the simulator (test/support/learning-sim.ts) over CAMPAIGNS
 * campaigns per row, through the production scoring and findings. Prints, asserts nothing.
 */
export const CAMPAIGNS = 200;
const PER_ARM = [20, 40, 80, 160, 320];

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const row = (name: string, summary: SimulationSummary) =>
  `| ${name} | ${summary.medianPostsPerArm} | ${summary.claims} | ${summary.falseClaims} | ${percent(summary.falseLessonRate)} | ${summary.detected} / ${summary.plantedEffects} | ${percent(summary.detectionRate)} |`;

export function learningBench(): string {
  const lines = [
    `σ = ${SIGMA} (log-normal), planted ×1.3 and ×0.7 on one arm each of two dimensions, family level ${FAMILY_ALPHA} (Bonferroni over the campaign's comparisons), ${CAMPAIGNS} campaigns per row.`,
    '',
    '| design | posts per planted arm (median) | lessons claimed | false | false-lesson rate | planted effects found | detection rate |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const perArm of PER_ARM) {
    lines.push(
      row(`two arms per dimension, ${perArm} posts per arm`, simulate(twoArmDesign(perArm), CAMPAIGNS, `bench|two|${perArm}`, perArm)),
    );
  }
  lines.push(row('30 days × 3 platforms, 1 post a day each (5 dimensions, 21 arms)', simulate(thirtyDayDesign, CAMPAIGNS, 'bench|thirty')));
  const none = simulate(nullDesign, CAMPAIGNS, 'bench|null');
  lines.push(row('30 days × 3 platforms, nothing planted', none));
  lines.push(
    '',
    `Campaigns with at least one false lesson when nothing is planted (the family error rate the level bounds): ${percent(
      none.campaignsWithFalseClaims / none.campaigns,
    )}.`,
  );
  return lines.join('\n');
}
