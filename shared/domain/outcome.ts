import type { Platform } from '../schemas/common';
import type { PostExecution, PostMetrics } from '../schemas/execution';
import { metricFields } from '../schemas/vocabulary';
import type { FollowerCount } from '../schemas/followers';
import type { CampaignOutcomeNumbers, FollowerGrowth, GoalResult, MetricTotals, PostResult, SlotResult } from '../schemas/report';
import { hookStyleExperiment, type HookStyle } from './hook-styles';
import { campaignLearning, postKey, type LearningPost } from './learning';
import { predictionCheck } from './prediction';
import { localDateTime } from './schedule';
import { interactionsOf } from './scores';

/**
 * The numbers of a campaign's outcome, computed from the confirmed posts: goal against achieved,
 * totals and engagement per platform and per pillar, best and worst posts, and the posting slots
 * observed. Pure; the reporter agent only puts these numbers into words.
 *
 * Engagement of a post = likes + comments + shares + saves (the interactions every platform
 * reports); the engagement rate is engagement / views where views are known.
 */

export interface OutcomePost extends LearningPost {
  platform: Platform;
  date: string;
  localTime: string;
  title?: string;
  /** The score predicted before posting (./prediction.ts), checked in the report. */
  prediction?: { score: number };
  hookStyle?: HookStyle;
  styleChanges?: readonly unknown[];
}

export interface OutcomeInput {
  campaignId: string;
  /** Dates the findings (learned at, expires at). */
  now: string;
  goal: { type: string; metric: string; target: number; baseline?: number };
  timeZone: string;
  posts: readonly OutcomePost[];
  executions: readonly PostExecution[];
  /** The campaign's first and last local dates, and the follower counts the creator recorded (PUT /profile/followers). */
  period?: { from: string; to: string };
  followerCounts?: readonly FollowerCount[];
  /** The hook styles the campaign tested (experiments.hookStyles): the outcome then has its experiments section. */
  hookStyles?: readonly HookStyle[];
}

/**
 * Follower growth per platform over the campaign: from the latest count on or before its first day
 * (else the first count inside it) to the latest count on or before its last day.
 */
export function followerGrowth(counts: readonly FollowerCount[], period: { from: string; to: string }): FollowerGrowth[] {
  return [...new Set(counts.map((entry) => entry.platform))].flatMap((platform) => {
    const mine = counts
      .filter((entry) => entry.platform === platform && entry.date <= period.to)
      .sort((a, b) => a.date.localeCompare(b.date));
    const first = mine.filter((entry) => entry.date <= period.from).at(-1) ?? mine.find((entry) => entry.date >= period.from);
    const last = mine.at(-1);
    if (!first || !last || last.date <= first.date) return [];
    return [
      {
        platform,
        from: { date: first.date, count: first.count },
        to: { date: last.date, count: last.count },
        gained: last.count - first.count,
      },
    ];
  });
}

/** Which total a goal type is measured by. */
export const goalBasis: Record<string, keyof MetricTotals> = {
  followers: 'followersGained',
  views: 'views',
  engagement: 'engagement',
  leads: 'clicks',
  sales: 'clicks',
  launch: 'views',
};

const RANKED_POSTS = 3;

export const engagementOf = interactionsOf;

function zeroTotals(): MetricTotals {
  return { ...(Object.fromEntries(metricFields.map((field) => [field, 0])) as Omit<MetricTotals, 'engagement'>), engagement: 0 };
}

function addTo(totals: MetricTotals, metrics: PostMetrics | undefined): void {
  for (const field of metricFields) totals[field] += metrics?.[field] ?? 0;
  totals.engagement += engagementOf(metrics);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const rate = (totals: MetricTotals) => (totals.views > 0 ? round((totals.engagement / totals.views) * 100, 2) : undefined);

/**
 * The goal's progress. With a baseline the target is the level to reach, so the gain needed is
 * target − baseline. A followers goal is measured by the recorded follower counts where there are
 * any (the platform's own count), else by the followers the posts' metrics say they gained.
 */
export function goalResult(goal: OutcomeInput['goal'], totals: MetricTotals, followers: readonly FollowerGrowth[] = []): GoalResult {
  const byCounts = goal.type === 'followers' && followers.length > 0;
  const basis = byCounts ? 'followerCounts' : (goalBasis[goal.type] ?? 'engagement');
  const achieved = byCounts ? followers.reduce((sum, growth) => sum + growth.gained, 0) : totals[basis as keyof MetricTotals];
  const needed = goal.baseline !== undefined && goal.target > goal.baseline ? goal.target - goal.baseline : goal.target;
  return {
    type: goal.type,
    metric: goal.metric,
    target: goal.target,
    ...(goal.baseline !== undefined && { baseline: goal.baseline, reached: goal.baseline + achieved }),
    basis,
    achieved,
    progressPercent: round((achieved / needed) * 100),
    met: achieved >= needed,
  };
}

interface Group {
  planned: number;
  posted: number;
  skipped: number;
  totals: MetricTotals;
}

function grouped<K>(keyOf: (post: OutcomePost) => K | undefined, rows: readonly { post: OutcomePost; execution?: PostExecution }[]) {
  const groups = new Map<K, Group>();
  for (const { post, execution } of rows) {
    const key = keyOf(post);
    if (key === undefined) continue;
    const group = groups.get(key) ?? { planned: 0, posted: 0, skipped: 0, totals: zeroTotals() };
    group.planned += 1;
    if (execution?.posted) {
      group.posted += 1;
      addTo(group.totals, execution.metrics);
    } else if (execution) group.skipped += 1;
    groups.set(key, group);
  }
  return [...groups].map(([key, group]) => ({
    key,
    ...group,
    avgEngagement: group.posted > 0 ? round(group.totals.engagement / group.posted) : 0,
    engagementRate: rate(group.totals),
  }));
}

/** Posted posts' engagement by local weekday and hour of posting (the creator's zone at the time). */
export function postingSlots(timeZone: string, rows: readonly { post: OutcomePost; execution?: PostExecution }[]): SlotResult[] {
  const slots = new Map<string, SlotResult>();
  for (const { post, execution } of rows) {
    if (!execution?.posted || !execution.metrics || !execution.postedAt) continue;
    const local = localDateTime(execution.postedAt, timeZone);
    const hour = Number(local.time.slice(0, 2));
    const key = `${post.platform}#${local.weekday}#${hour}`;
    const slot = slots.get(key) ?? { platform: post.platform, weekday: local.weekday, hour, posts: 0, engagement: 0 };
    slot.posts += 1;
    slot.engagement += engagementOf(execution.metrics);
    slots.set(key, slot);
  }
  return [...slots.values()].sort((a, b) => a.platform.localeCompare(b.platform) || a.weekday - b.weekday || a.hour - b.hour);
}

export function campaignOutcome(input: OutcomeInput): CampaignOutcomeNumbers {
  const executions = new Map(input.executions.map((execution) => [`${execution.day}#${execution.platform}`, execution]));
  const rows = input.posts.map((post) => ({ post, execution: executions.get(`${post.day}#${post.platform}`) }));
  const totals = zeroTotals();
  for (const { execution } of rows) if (execution?.posted) addTo(totals, execution.metrics);
  const { scores, findings } = campaignLearning({ ...input, posts: input.posts });
  const platforms = new Set(input.posts.map((post) => post.platform));
  const followers =
    input.period && input.followerCounts
      ? followerGrowth(
          input.followerCounts.filter((entry) => platforms.has(entry.platform)),
          input.period,
        )
      : [];

  const results: PostResult[] = rows
    .filter(({ execution }) => execution?.posted && execution.metrics)
    .map(({ post, execution }) => ({
      day: post.day,
      platform: post.platform,
      date: post.date,
      ...(post.title !== undefined && { title: post.title }),
      ...(post.pillar !== undefined && { pillar: post.pillar }),
      engagement: engagementOf(execution!.metrics),
      views: execution!.metrics!.views ?? 0,
      ...(scores.has(postKey(post)) && { score: scores.get(postKey(post))! }),
    }))
    .sort((a, b) => b.engagement - a.engagement || b.views - a.views || a.day - b.day);
  const slots = postingSlots(input.timeZone, rows);
  const bestSlots = [...new Set(slots.map((slot) => slot.platform))].map(
    (platform) => slots.filter((slot) => slot.platform === platform).sort((a, b) => b.engagement / b.posts - a.engagement / a.posts)[0]!,
  );

  const predicted = input.posts.flatMap((post) => {
    const score = scores.get(postKey(post));
    return post.prediction && score?.status === 'scored'
      ? [{ day: post.day, platform: post.platform, predicted: post.prediction.score, actual: score.z }]
      : [];
  });

  const posted = rows.filter(({ execution }) => execution?.posted).length;
  const skipped = rows.filter(({ execution }) => execution && !execution.posted).length;
  return {
    goal: goalResult(input.goal, totals, followers),
    followers,
    posts: { planned: rows.length, posted, skipped, unconfirmed: rows.length - posted - skipped },
    totals,
    engagementRate: rate(totals),
    perPlatform: grouped((post) => post.platform, rows).map(({ key, ...group }) => ({ platform: key, ...group })),
    perPillar: grouped((post) => post.pillar, rows).map(({ key, ...group }) => ({ pillar: key, ...group })),
    bestPosts: results.slice(0, RANKED_POSTS),
    worstPosts: results.length > RANKED_POSTS ? results.slice(-RANKED_POSTS).reverse() : [],
    bestPostingTimes: bestSlots,
    postingSlots: slots,
    findings,
    prediction: predictionCheck(predicted),
    ...(input.hookStyles && { experiments: { hookStyles: hookStyleExperiment(input.hookStyles, input.posts, scores, findings) } }),
  };
}
