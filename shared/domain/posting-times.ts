import type { Platform } from '../schemas/common';
import type { PostingTimeInsight, SlotResult } from '../schemas/report';

/**
 * Best posting times from the creator's own confirmed posts: engagement per post by local hour
 * (and hour of week) per platform, summed over their completed campaigns. A platform needs
 * MIN_POSTS_PER_PLATFORM posts with metrics, and the best hour MIN_POSTS_PER_HOUR of them, before a
 * time is recommended: fewer are noise. Pure.
 */
export const MIN_POSTS_PER_PLATFORM = 6;
export const MIN_POSTS_PER_HOUR = 2;

const round = (value: number) => Math.round(value * 10) / 10;

interface Bucket {
  posts: number;
  engagement: number;
}

function bestOf<K>(buckets: Map<K, Bucket>): { key: K; average: number } | undefined {
  let best: { key: K; average: number } | undefined;
  for (const [key, { posts, engagement }] of buckets) {
    if (posts < MIN_POSTS_PER_HOUR) continue;
    const average = engagement / posts;
    if (!best || average > best.average) best = { key, average };
  }
  return best;
}

export function postingTimeInsights(slots: readonly SlotResult[]): PostingTimeInsight[] {
  const platforms = [...new Set(slots.map((slot) => slot.platform))].sort();
  return platforms.map((platform) => {
    const own = slots.filter((slot) => slot.platform === platform);
    const byHour = new Map<number, Bucket>();
    const byHourOfWeek = new Map<string, Bucket>();
    let posts = 0;
    let engagement = 0;
    for (const slot of own) {
      posts += slot.posts;
      engagement += slot.engagement;
      for (const [map, key] of [
        [byHour, slot.hour],
        [byHourOfWeek, `${slot.weekday}:${slot.hour}`],
      ] as const) {
        const bucket = (map as Map<typeof key, Bucket>).get(key) ?? { posts: 0, engagement: 0 };
        bucket.posts += slot.posts;
        bucket.engagement += slot.engagement;
        (map as Map<typeof key, Bucket>).set(key, bucket);
      }
    }
    const hour = bestOf(byHour);
    const hourOfWeek = bestOf(byHourOfWeek);
    const enough = posts >= MIN_POSTS_PER_PLATFORM && hour !== undefined;
    return {
      platform,
      posts,
      enough,
      ...(enough && { bestHour: hour.key, avgEngagementAtBest: round(hour.average) }),
      ...(enough &&
        hourOfWeek && { bestHourOfWeek: { weekday: Number(hourOfWeek.key.split(':')[0]), hour: Number(hourOfWeek.key.split(':')[1]) } }),
      avgEngagement: posts > 0 ? round(engagement / posts) : 0,
    };
  });
}

/** The local posting time (HH:00) per platform that has enough of the creator's own posts. */
export function preferredPostingTimes(insights: readonly PostingTimeInsight[]): Partial<Record<Platform, string>> {
  return Object.fromEntries(
    insights
      .filter((insight) => insight.enough && insight.bestHour !== undefined)
      .map((insight) => [insight.platform, `${String(insight.bestHour).padStart(2, '0')}:00`]),
  );
}
