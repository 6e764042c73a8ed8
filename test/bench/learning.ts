import { FAMILY_ALPHA } from '../../shared/domain/evidence';
import {
  ADAPTIVE,
  BOOTSTRAP_RESAMPLES,
  ceilingLift,
  CHECKPOINTS,
  issueDesign,
  noEffectDesign,
  simulateLift,
  STRETCH,
  strongDesign,
  type Estimate,
} from '../support/adaptive-sim';
import { nullDesign, simulate, SIGMA, thirtyDayDesign, twoArmDesign, type SimulationSummary } from '../support/learning-sim';
import { simulatePacingError, simulatePrediction } from '../support/pacing-sim';

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

/** Issue 18: the pacing error at days 7 and 14, and the per-post prediction's rank correlation. */
export function pacingBench(): string {
  return [...pacingLines(), '', ...predictionLines(), ''].join('\n');
}

function pacingLines(): string[] {
  const summary = simulatePacingError(thirtyDayDesign, CAMPAIGNS, 'bench|pacing');
  return [
    `Goal pacing (views goal, ${summary.durationDays} days × 3 platforms, a post a day each, 10 % skipped, ${CAMPAIGNS} creators): the final projected on a day against the simulated final.`,
    '',
    '| projected on | median absolute error | finals inside the 80 % interval |',
    '| --- | --- | --- |',
    ...summary.at.map((at) => `| day ${at.day} | ${percent(at.medianAbsoluteError)} | ${percent(at.coverage)} |`),
  ];
}

function predictionLines(): string[] {
  const strong = { ...thirtyDayDesign, planted: { pillar: { Tips: 2 }, hookStyle: { question: 0.5 } } };
  const rows = [
    ['×1.3 / ×0.7 planted (the issue’s)', thirtyDayDesign, 1],
    ['×1.3 / ×0.7 planted (the issue’s)', thirtyDayDesign, 3],
    ['×2 / ×0.5 planted', strong, 1],
    ['×2 / ×0.5 planted', strong, 3],
  ] as const;
  return [
    `Per-post prediction (${CAMPAIGNS} creators; fitted on the earlier campaigns, checked on the next one's scored posts): Spearman of predicted against actual score, median over creators; the oracle ranks by the planted truth (the ceiling under σ = ${SIGMA}). A new creator's predictions are all 0: no correlation to report.`,
    '',
    '| effects | earlier campaigns | Spearman (median) | oracle |',
    '| --- | --- | --- | --- |',
    ...rows.map(([name, design, history]) => {
      const summary = simulatePrediction(design, CAMPAIGNS, history, `bench|prediction|${name}|${history}`);
      return `| ${name} | ${history} | ${summary.medianSpearman.toFixed(2)} | ${summary.medianOracleSpearman.toFixed(2)} |`;
    }),
  ];
}

const signedPercent = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} %`;
const withInterval = (estimate: Estimate) =>
  `${signedPercent(estimate.value)} [${signedPercent(estimate.low)}, ${signedPercent(estimate.high)}]`;

/** Issue 18 point 5: the lift of pacing + re-plan + hook-style tests over the balanced plan, on the same creators. */
export function liftBench(): string {
  const rows = [
    ['×1.3 / ×0.7 (the issue’s)', 'pacing + re-plan + styles', issueDesign, ADAPTIVE],
    ['×1.3 / ×0.7 (the issue’s)', 'pacing + re-plan', issueDesign, { ...ADAPTIVE, styles: false }],
    ['×1.3 / ×0.7 (the issue’s)', 're-plan only when behind', issueDesign, { replanWhenBehind: true, replanOn: [], styles: false }],
    ['×1.3 / ×0.7 (the issue’s)', 'styles only', issueDesign, { replanWhenBehind: false, replanOn: [], styles: true }],
    ['×2 / ×0.5', 'pacing + re-plan + styles', strongDesign, ADAPTIVE],
    ['nothing planted (control)', 'pacing + re-plan + styles', noEffectDesign, ADAPTIVE],
  ] as const;
  return [
    `Adaptation lift (test/support/adaptive-sim.ts, ${CAMPAIGNS} creators per row): a campaign is 30 days × 3 platforms (YouTube, Instagram, TikTok), one post a day each, goal total views, target ${STRETCH}× the balanced plan's expected final. ` +
      'Planted up (×1.3 or ×2) on pillar Tips, hour band evening and the platform TikTok, down (×0.7 or ×0.5) on format carousel and hook style question; ' +
      'the platform is a distractor nothing moves. Each creator runs the campaign twice on the same noise draws per slot (common random numbers: a slot part, and a content part the adaptive arm redraws only where it changed what the slot posts): ' +
      `once as the balanced plan (every arm in equal shares, never changed), once adapting through the production rules: pacing each day (shared/domain/pacing.ts), a re-plan of the unposted slots (shared/domain/replan.ts) when the status turns behind and at the end of days ${CHECKPOINTS.join(', ')}, ` +
      'and the later slots’ hook styles re-assigned after each day’s metrics (shared/domain/hook-styles.ts). ' +
      `Lift = adaptive final ÷ balanced final − 1, per creator; 95 % intervals from ${BOOTSTRAP_RESAMPLES} paired bootstrap resamples of the creators. The ceiling puts every post on the best arms the adaptive arm can move, from day 1.`,
    '',
    '| planted effects | adaptive arm | median lift [95 %] | mean lift [95 %] | creators improved | ceiling | re-plans per creator (behind + weekly) | slot re-plans | hook styles re-assigned |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(([effects, mechanisms, design, run]) => {
      const summary = simulateLift(design, CAMPAIGNS, `bench|lift|${effects}|${mechanisms}`, run);
      const { behindReplans, checkpointReplans, replannedSlots, restyledSlots } = summary.perCreator;
      return `| ${effects} | ${mechanisms} | ${withInterval(summary.median)} | ${withInterval(summary.mean)} | ${percent(summary.improved)} | ${signedPercent(ceilingLift(design, run))} | ${behindReplans.toFixed(1)} + ${checkpointReplans.toFixed(1)} | ${replannedSlots.toFixed(0)} | ${restyledSlots.toFixed(0)} |`;
    }),
    '',
  ].join('\n');
}
