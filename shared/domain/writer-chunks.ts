import type { Platform } from '../schemas/common';

/**
 * What the writer writes for one post, by platform (scripts for video, short text for X), measured
 * on the offline writer (shared/domain/estimate.ts, CALIBRATION); unmeasured platforms are guesses.
 */
export const DRAFT_TOKENS = {
  youtube: 616,
  tiktok: 453,
  instagram: 466,
  x: 192,
  linkedin: 314,
  threads: 195,
  bluesky: 192,
  facebook: 350,
  blog: 900,
} as const satisfies Record<Platform, number>;

/**
 * The most one writer call may write, thinking aside: a model's latency grows with what it writes,
 * so a week is written in several calls at once rather than one long one.
 */
export const WRITER_MAX_WRITTEN_TOKENS = 4000;
/**
 * What a call is planned to write, by DRAFT_TOKENS: a margin under the cap for drafts longer than
 * the average. The first week, which the creator gets first, is cut finer (more, shorter calls at
 * once), so that it is ready sooner.
 */
export const CHUNK_TOKENS = 3500;
export const FIRST_WEEK_CHUNK_TOKENS = 1500;

export const chunkTokensOf = (week: number) => (week === 1 ? FIRST_WEEK_CHUNK_TOKENS : CHUNK_TOKENS);

/**
 * Splits a week's posts into the writer calls that write them: per platform (a call shares one
 * platform's rules and format), each platform's posts in plan order cut into the fewest runs of
 * about equal length whose drafts fit `budget` tokens (a post longer than that alone is a call of
 * its own). The cost estimate counts the calls with it.
 */
export function writerChunks<P extends { platform: Platform }>(posts: readonly P[], budget: number): P[][] {
  const byPlatform = new Map<Platform, P[]>();
  for (const post of posts) byPlatform.set(post.platform, [...(byPlatform.get(post.platform) ?? []), post]);
  return [...byPlatform.entries()].flatMap(([platform, own]) => {
    const draft = DRAFT_TOKENS[platform];
    let calls = Math.max(1, Math.ceil((own.length * draft) / budget));
    while (calls < own.length && Math.ceil(own.length / calls) * draft > budget) calls++;
    const size = Math.ceil(own.length / calls);
    return Array.from({ length: Math.ceil(own.length / size) }, (_, i) => own.slice(i * size, (i + 1) * size));
  });
}
