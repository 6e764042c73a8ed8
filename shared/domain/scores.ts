import type { Platform } from '../schemas/common';
import type { PostMetrics } from '../schemas/execution';
import type { PostScore } from '../schemas/scores';

/**
 * Baseline-relative scores: how a post did against the creator's own recent posts on the same
 * platform, `z = (ln(1 + engagement) − median) ÷ (1.4826 × MAD)` over the last BASELINE_WINDOW
 * earlier posts of that platform. Median and MAD, not mean and standard deviation, so one viral
 * post does not move the baseline; the log, because engagement is roughly log-normal. Pure, and the
 * one scoring the report, the schedule, the stats, the lessons and the simulator all use.
 */

export const BASELINE_WINDOW = 30;
export const MIN_BASELINE_POSTS = 5;
/** 1.4826 × MAD estimates the standard deviation of normal data; √(π/2) × mean absolute deviation too. */
const MAD_TO_SD = 1.4826;
const MEAN_AD_TO_SD = Math.sqrt(Math.PI / 2);

const INTERACTIONS = ['likes', 'comments', 'shares', 'saves'] as const;

/** Likes + comments + shares + saves: the interactions every platform reports. */
export const interactionsOf = (metrics: PostMetrics | undefined) => INTERACTIONS.reduce((sum, field) => sum + (metrics?.[field] ?? 0), 0);

const reportsInteractions = (metrics: PostMetrics | undefined) => INTERACTIONS.some((field) => metrics?.[field] !== undefined);

export interface ScoreInput {
  id: string;
  platform: Platform;
  /** When it went live (ISO): the order of the baseline. */
  postedAt: string;
  metrics: PostMetrics;
}

export function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and robust spread of log engagements; a spread of 0 (identical posts) falls back to the mean deviation, then to 1. */
export function robustBaseline(values: readonly number[]): { median: number; scale: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const centre = median(sorted);
  const deviations = sorted.map((value) => Math.abs(value - centre)).sort((a, b) => a - b);
  const mad = MAD_TO_SD * median(deviations);
  const meanDeviation = (MEAN_AD_TO_SD * deviations.reduce((a, b) => a + b, 0)) / deviations.length;
  return { median: centre, scale: mad > 0 ? mad : meanDeviation > 0 ? meanDeviation : 1 };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Every post's score, by id. Per platform, posts in posting order; a post's baseline is the up to
 * BASELINE_WINDOW posts before it. Engagement is the interactions, or the views on a platform
 * where no post reports any interaction (then views are all there is to compare).
 */
export function postScores(posts: readonly ScoreInput[]): Map<string, PostScore> {
  const scores = new Map<string, PostScore>();
  const platforms = new Set(posts.map((post) => post.platform));
  for (const platform of platforms) {
    const ordered = posts
      .filter((post) => post.platform === platform)
      .sort((a, b) => a.postedAt.localeCompare(b.postedAt) || a.id.localeCompare(b.id));
    const byViews = !ordered.some((post) => reportsInteractions(post.metrics));
    const logs = ordered.map((post) => Math.log1p(byViews ? (post.metrics.views ?? 0) : interactionsOf(post.metrics)));
    ordered.forEach((post, index) => {
      const baseline = logs.slice(Math.max(0, index - BASELINE_WINDOW), index);
      if (baseline.length < MIN_BASELINE_POSTS) {
        scores.set(post.id, { status: 'no baseline yet', baselinePosts: baseline.length });
        return;
      }
      const { median: centre, scale } = robustBaseline(baseline);
      scores.set(post.id, {
        status: 'scored',
        z: round3((logs[index]! - centre) / scale),
        baselinePosts: baseline.length,
        basis: byViews ? 'views' : 'interactions',
      });
    });
  }
  return scores;
}
