import { campaignPacing } from '../../shared/domain/pacing';
import { fitPredictionModel, predictScore, spearman, type PostFeatures, type TrainingPost } from '../../shared/domain/prediction';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import { addDays } from '../../shared/domain/schedule';
import { postScores } from '../../shared/domain/scores';
import type { FindingDimension } from '../../shared/schemas/findings';
import { SIGMA, type SimulatedDesign } from './learning-sim';

/**
 * Goal pacing and the per-post prediction on the simulator's creators (./learning-sim.ts: engagement
 * log-normal with σ = 0.9 around the creator's level, planted multipliers on chosen arms), through
 * the production code (shared/domain/pacing.ts, prediction.ts, scores.ts). Used by
 * `npm run bench -- learning` and, at CI size, by test/unit/pacing-sim.test.ts.
 */

export interface SimulatedPost {
  id: string;
  day: number;
  platform: SimulatedDesign['platforms'][number];
  features: PostFeatures;
  /** Σ ln(planted multiplier): the truth a perfect prediction would rank by. */
  logEffect: number;
  posted: boolean;
  likes: number;
  views: number;
}

/** One campaign of `design.postsPerPlatform` days, a post a day per platform, each arm drawn uniformly; `skip` of the posts are not posted. */
function simulatePosts(design: SimulatedDesign, random: () => number, level: number, skip: number): SimulatedPost[] {
  const posts: SimulatedPost[] = [];
  for (const platform of design.platforms) {
    for (let day = 1; day <= design.postsPerPlatform; day++) {
      const features: PostFeatures = { platform };
      let logEffect = 0;
      for (const [dimension, arms] of Object.entries(design.arms) as [FindingDimension, readonly string[]][]) {
        const arm = arms[Math.floor(random() * arms.length)]!;
        features[dimension] = arm;
        logEffect += Math.log(design.planted[dimension]?.[arm] ?? 1);
      }
      const likes = Math.round(level * Math.exp(logEffect + SIGMA * normalDraw(random)));
      posts.push({ id: `${day}#${platform}`, day, platform, features, logEffect, posted: random() >= skip, likes, views: likes * 20 });
    }
  }
  return posts;
}

/** The posted posts' baseline-relative scores (the first 5 of each platform have none), by id. */
export function scoresOf(
  posts: readonly Pick<SimulatedPost, 'id' | 'day' | 'platform' | 'posted' | 'likes' | 'views'>[],
): Map<string, number> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const scored = new Map<string, number>();
  const inputs = posts
    .filter((post) => post.posted)
    .map((post) => ({
      id: post.id,
      platform: post.platform,
      postedAt: new Date(start + post.day * 86_400_000).toISOString(),
      metrics: { likes: post.likes, views: post.views },
    }));
  for (const [id, score] of postScores(inputs)) if (score.status === 'scored') scored.set(id, score.z);
  return scored;
}

export interface PacingErrorSummary {
  creators: number;
  durationDays: number;
  /** Per checkpoint day: the median of |projected − final| ÷ final, and the share of finals inside the 80 % interval. */
  at: { day: number; medianAbsoluteError: number; coverage: number }[];
}

/** A views goal: the final projected at `checkpoints` against the simulated final value, over `creators` creators. */
export function simulatePacingError(design: SimulatedDesign, creators: number, seed: string, checkpoints = [7, 14], skip = 0.1) {
  const errors = checkpoints.map(() => [] as number[]);
  const inside = checkpoints.map(() => 0);
  const startDate = '2026-01-01';
  for (let i = 0; i < creators; i++) {
    const random = seededRandom(`pacing|${seed}|${i}`);
    const posts = simulatePosts(design, random, 50 + random() * 950, skip);
    const pacing = campaignPacing({
      goal: { type: 'views', metric: 'views', target: 1 },
      startDate,
      durationDays: design.postsPerPlatform,
      today: addDays(startDate, design.postsPerPlatform - 1),
      platforms: design.platforms,
      executions: posts.map((post) => ({ day: post.day, posted: post.posted, metrics: { views: post.views } })),
    });
    const final = pacing.days.at(-1)!.actual;
    checkpoints.forEach((day, index) => {
      const { projected } = pacing.days[day - 1]!;
      errors[index]!.push(Math.abs(projected.final - final) / final);
      if (projected.low <= final && final <= projected.high) inside[index]! += 1;
    });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return {
    creators,
    durationDays: design.postsPerPlatform,
    at: checkpoints.map((day, index) => ({ day, medianAbsoluteError: median(errors[index]!), coverage: inside[index]! / creators })),
  } satisfies PacingErrorSummary;
}

export interface PredictionSummary {
  creators: number;
  historyCampaigns: number;
  /** Median over creators of Spearman(predicted, actual score) on the new campaign's scored posts. */
  medianSpearman: number;
  /** The same with the planted truth as the prediction: the best any model could rank with this noise. */
  medianOracleSpearman: number;
}

/** `historyCampaigns` earlier campaigns fit the model; the next campaign's posts are predicted before they are simulated. */
export function simulatePrediction(design: SimulatedDesign, creators: number, historyCampaigns: number, seed: string): PredictionSummary {
  const rhos: number[] = [];
  const oracle: number[] = [];
  for (let i = 0; i < creators; i++) {
    const random = seededRandom(`prediction|${seed}|${i}`);
    const level = 50 + random() * 950;
    const training: TrainingPost[] = [];
    for (let h = 0; h < historyCampaigns; h++) {
      const history = simulatePosts(design, random, level, 0);
      const scores = scoresOf(history);
      for (const post of history) if (scores.has(post.id)) training.push({ z: scores.get(post.id)!, features: post.features });
    }
    const model = fitPredictionModel(training);
    const next = simulatePosts(design, random, level, 0);
    const scores = scoresOf(next);
    const checked = next.filter((post) => scores.has(post.id));
    const actual = checked.map((post) => scores.get(post.id)!);
    const rho = spearman(
      checked.map((post) => predictScore(model, post.features)),
      actual,
    );
    const best = spearman(
      checked.map((post) => post.logEffect),
      actual,
    );
    if (rho !== undefined) rhos.push(rho);
    if (best !== undefined) oracle.push(best);
  }
  const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[values.length >> 1]! : Number.NaN);
  return { creators, historyCampaigns, medianSpearman: median(rhos), medianOracleSpearman: median(oracle) };
}
