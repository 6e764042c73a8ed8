import type { Platform } from '../schemas/common';
import type { PredictionCheck } from '../schemas/report';
import type { PostExecution } from '../schemas/execution';
import { hookStyleOf, hourBandOf } from './evidence';
import { executionScores, postKey } from './learning';
import { localDateTime } from './schedule';

/**
 * A prediction the creator can check: before a post goes out, its baseline-relative score
 * (./scores.ts) predicted from the creator's own scored posts. The model is additive over six
 * features (platform, hour band, weekday, format, pillar, hook style), each arm's effect a ridge
 * estimate with a prior of 0: effect = Σ residuals ÷ (n + PRIOR_POSTS), fitted by backfitting. An
 * arm seen in few posts stays near 0, an arm never seen is 0, and a creator with no history
 * gets 0 for every post (the baseline). Pure and deterministic.
 */

export const PREDICTION_FEATURES = ['platform', 'hourBand', 'weekday', 'format', 'pillar', 'hookStyle'] as const;
export type PredictionFeature = (typeof PREDICTION_FEATURES)[number];
export type PostFeatures = Partial<Record<PredictionFeature, string>>;

/** The prior's weight, in posts: an arm's effect is shrunk towards 0 as if it had this many more posts scoring 0. */
export const PRIOR_POSTS = 5;
const BACKFITTING_ROUNDS = 20;

export interface PredictionModel {
  /** Scored posts the model was fitted on. */
  posts: number;
  effects: Partial<Record<PredictionFeature, Record<string, number>>>;
}

export interface TrainingPost {
  z: number;
  features: PostFeatures;
}

/** A post as planned or posted: the fields its features are read from. */
export interface FeatureSource {
  platform: Platform;
  /** Local date and time of posting (planned or actual). */
  date: string;
  localTime: string;
  format?: string;
  pillar?: string;
  /** The style the writer assigned, when the campaign tests hook styles; else read from the opening line. */
  hookStyle?: string;
  script?: { hook?: string };
  post?: string;
}

export function featuresOf(source: FeatureSource): PostFeatures {
  const hookStyle = source.hookStyle ?? hookStyleOf(source.script?.hook ?? source.post);
  return {
    platform: source.platform,
    hourBand: hourBandOf(Number(source.localTime.slice(0, 2))),
    weekday: String(new Date(`${source.date}T00:00:00Z`).getUTCDay()),
    ...(source.format !== undefined && { format: source.format }),
    ...(source.pillar !== undefined && { pillar: source.pillar }),
    ...(hookStyle !== undefined && { hookStyle }),
  };
}

/** The local date and time a post went out, as FeatureSource wants them. */
export function postedLocally(postedAt: string, timeZone: string): { date: string; localTime: string } {
  const local = localDateTime(postedAt, timeZone);
  return { date: local.date, localTime: local.time };
}

/**
 * The scored posts of earlier campaigns as training rows: each campaign's posts scored against its
 * own earlier posts of the platform (./learning.ts), with the features of the post as planned.
 */
export function trainingPostsOf(
  campaigns: readonly { posts: readonly (FeatureSource & { day: number })[]; executions: readonly PostExecution[] }[],
): TrainingPost[] {
  return campaigns.flatMap(({ posts, executions }) => {
    const scores = executionScores(executions);
    return posts.flatMap((post) => {
      const score = scores.get(postKey(post));
      return score?.status === 'scored' ? [{ z: score.z, features: featuresOf(post) }] : [];
    });
  });
}

export function fitPredictionModel(posts: readonly TrainingPost[]): PredictionModel {
  const effects: PredictionModel['effects'] = {};
  for (const feature of PREDICTION_FEATURES) effects[feature] = {};
  const predicted = (post: TrainingPost, skip?: PredictionFeature) =>
    PREDICTION_FEATURES.reduce((sum, feature) => {
      const arm = post.features[feature];
      return feature === skip || arm === undefined ? sum : sum + (effects[feature]![arm] ?? 0);
    }, 0);
  for (let round = 0; round < BACKFITTING_ROUNDS; round++) {
    for (const feature of PREDICTION_FEATURES) {
      const sums = new Map<string, { residual: number; n: number }>();
      for (const post of posts) {
        const arm = post.features[feature];
        if (arm === undefined) continue;
        const sum = sums.get(arm) ?? { residual: 0, n: 0 };
        sum.residual += post.z - predicted(post, feature);
        sum.n += 1;
        sums.set(arm, sum);
      }
      effects[feature] = Object.fromEntries([...sums].map(([arm, { residual, n }]) => [arm, residual / (n + PRIOR_POSTS)]));
    }
  }
  return { posts: posts.length, effects };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** The predicted baseline-relative score of a post with these features (0: the creator's baseline). */
export function predictScore(model: PredictionModel, features: PostFeatures): number {
  const score = PREDICTION_FEATURES.reduce((sum, feature) => {
    const arm = features[feature];
    return arm === undefined ? sum : sum + (model.effects[feature]?.[arm] ?? 0);
  }, 0);
  return round3(score) + 0;
}

/** Ranks 1..n, ties sharing their average rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.value === order[i]!.value) j++;
    for (let k = i; k <= j; k++) result[order[k]!.index] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

/**
 * Spearman's rank correlation (Pearson's on the ranks, ties averaged); undefined with fewer than
 * 3 pairs or when either side does not vary (all predictions 0, as for a new creator).
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number | undefined {
  if (xs.length !== ys.length || xs.length < 3) return undefined;
  const [rx, ry] = [ranks(xs), ranks(ys)];
  const mean = (xs.length + 1) / 2;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let i = 0; i < xs.length; i++) {
    covariance += (rx[i]! - mean) * (ry[i]! - mean);
    varianceX += (rx[i]! - mean) ** 2;
    varianceY += (ry[i]! - mean) ** 2;
  }
  if (varianceX === 0 || varianceY === 0) return undefined;
  return covariance / Math.sqrt(varianceX * varianceY);
}

export interface PredictedPost {
  day: number;
  platform: Platform;
  predicted: number;
  actual: number;
}

/** The report's check of the predictions: every post that had one and got a score, and their rank correlation in numbers and words. */
export function predictionCheck(posts: readonly PredictedPost[]): PredictionCheck {
  const ordered = [...posts].sort((a, b) => a.day - b.day || a.platform.localeCompare(b.platform));
  const rho = spearman(
    ordered.map((post) => post.predicted),
    ordered.map((post) => post.actual),
  );
  const spearmanValue = rho === undefined ? undefined : Math.round(rho * 100) / 100;
  return {
    posts: ordered,
    n: ordered.length,
    ...(spearmanValue !== undefined && { spearman: spearmanValue }),
    reading: readingOf(spearmanValue, ordered),
  };
}

function readingOf(rho: number | undefined, posts: readonly PredictedPost[]): string {
  if (rho === undefined) {
    return posts.length < 3
      ? `Not enough to check yet: ${posts.length} scored ${posts.length === 1 ? 'post has' : 'posts have'} a prediction, 3 needed.`
      : 'No check possible: every prediction was the same (no scored history to learn from yet), so they rank nothing.';
  }
  const strength = rho >= 0.5 ? 'well' : rho >= 0.2 ? 'somewhat' : rho > -0.2 ? 'no better than chance' : 'the wrong way round';
  const advice = rho >= 0.5 ? 'its rankings are worth following' : rho >= 0.2 ? 'treat them as a hint' : 'do not rely on them yet';
  return `Predictions ranked the ${posts.length} posts ${strength} (Spearman ${rho.toFixed(2)}): ${advice}.`;
}
