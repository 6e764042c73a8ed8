import { logger } from '../core/logger';
import { ConnectorError } from '../connectors/connector';
import { connectors, isConnectedPlatform } from '../connectors';
import { mapLimited } from '../db/concurrency';
import { allShards } from '../db/due-posts';
import { recordFollowerCount } from '../db/follower-store';
import {
  connectionsWithDueFollowers,
  moveFollowerRead,
  postsWithDueMetrics,
  recordCheckpoint,
  type FollowersDue,
  type MetricsDuePost,
} from '../db/platform-import-store';
import { dueCheckpoint, nextFollowerRead } from '../domain/metrics-checkpoints';
import type { EmitterConfig } from '../events/emit';
import type { Platform } from '../schemas/common';
import { withConnection } from './connections';
import { afterNewNumbers } from './new-numbers';
import { evaluateDailyPacing, type DailyPacingReport } from './pacing';

/**
 * The scheduled import (EventBridge, every IMPORT_PERIOD_MINUTES): for every post carrying a
 * platform id whose next checkpoint (1 h, 24 h, 72 h, 7 d after posting) has come, the metrics
 * through the creator's connection, one batched call per creator and platform (the connector splits
 * it into the platform's batches: X 100 ids, Bluesky 25), appended with `source: platform`; and
 * once per UTC day each connection's follower count. A connection in `needs_reauth` (or gone) is
 * skipped and its checkpoint passed; a refresh the platform refuses marks it `needs_reauth`
 * (withConnection); a platform that is unavailable or rate limits leaves the posts for the next run.
 * Last, the day's pacing evaluation of the running campaigns whose numbers did not arrive
 * (shared/app/pacing.ts, evaluateDailyPacing).
 */
export interface ImportReport {
  /** Posts whose checkpoint had come. */
  due: number;
  /** Checkpoints recorded with the platform's numbers. */
  imported: number;
  /** Checkpoints passed without numbers: the connection needs reauth or is gone, or the platform no longer has the post. */
  passed: number;
  /** Left for the next run (platform unavailable, rate limited). */
  retried: number;
  followers: { read: number; skipped: number; retried: number };
  /** The daily pacing evaluations due in this run. */
  pacing: DailyPacingReport;
}

/** Creators imported at once; each is a handful of sequential requests. */
const CREATOR_CONCURRENCY = 8;

export async function importFromPlatforms(config: EmitterConfig, now: Date = new Date()): Promise<ImportReport> {
  const at = now.toISOString();
  const report: ImportReport = {
    due: 0,
    imported: 0,
    passed: 0,
    retried: 0,
    followers: { read: 0, skipped: 0, retried: 0 },
    pacing: { evaluated: 0, behind: 0, dropped: 0, failed: 0 },
  };
  const shards = allShards();

  const due = (await mapLimited(shards, 4, (shard) => postsWithDueMetrics(config.TABLE_NAME, shard, at))).flat();
  report.due = due.length;
  const byAccount = new Map<string, MetricsDuePost[]>();
  for (const post of due)
    byAccount.set(`${post.userId}#${post.platform}`, [...(byAccount.get(`${post.userId}#${post.platform}`) ?? []), post]);
  const measured = new Map<string, { userId: string; campaignId: string }>();
  await mapLimited([...byAccount.values()], CREATOR_CONCURRENCY, (posts) => importAccount(config, posts, now, report, measured));

  const followers = (await mapLimited(shards, 4, (shard) => connectionsWithDueFollowers(config.TABLE_NAME, shard, at))).flat();
  const read = await mapLimited(followers, CREATOR_CONCURRENCY, (connection) => importFollowers(config, connection, now, report));
  await afterNewNumbers(
    config,
    {
      campaigns: [...measured.values()],
      followerCounts: followers.filter((_, i) => read[i]).map(({ userId, platform }) => ({ userId, platform: platform as Platform })),
    },
    now,
  );
  report.pacing = await evaluateDailyPacing(config, now);
  logger.info('platform import', { ...report });
  return report;
}

async function importAccount(
  config: EmitterConfig,
  posts: MetricsDuePost[],
  now: Date,
  report: ImportReport,
  measured: Map<string, { userId: string; campaignId: string }>,
): Promise<void> {
  const { userId, platform } = posts[0];
  if (!isConnectedPlatform(platform)) return;
  const fetching = posts.flatMap((post) => {
    const checkpoint = dueCheckpoint(post.postedAt, post.checkpoints, now);
    return checkpoint ? [{ post, checkpoint }] : [];
  });
  let metrics: Awaited<ReturnType<(typeof connectors)[typeof platform]['fetchMetrics']>> | undefined;
  try {
    metrics = await withConnection(config, userId, platform, (account, secret) =>
      connectors[platform].fetchMetrics(
        account,
        secret,
        fetching.map(({ post }) => post.platformPostId),
      ),
    );
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.failure !== 'reauth_required') {
      report.retried += fetching.length;
      logger.warn('metrics import left for the next run', { platform, failure: error.failure });
      return;
    }
  }
  const at = now.toISOString();
  await mapLimited(fetching, 4, async ({ post, checkpoint }) => {
    const numbers = metrics?.get(post.platformPostId);
    if (await recordCheckpoint(config.TABLE_NAME, post, checkpoint, numbers, at)) {
      if (numbers) {
        report.imported++;
        measured.set(`${post.userId}#${post.campaignId}`, { userId: post.userId, campaignId: post.campaignId });
      } else report.passed++;
    }
  });
}

/** Reads one connection's follower count; true when a count was recorded. */
async function importFollowers(config: EmitterConfig, connection: FollowersDue, now: Date, report: ImportReport): Promise<boolean> {
  const { userId, platform } = connection;
  if (!isConnectedPlatform(platform)) return false;
  const next = nextFollowerRead(now);
  if (connection.status === 'needs_reauth') {
    report.followers.skipped++;
    await moveFollowerRead(config.TABLE_NAME, connection, next);
    return false;
  }
  let read = false;
  try {
    const count = await withConnection(config, userId, platform, (account, secret) =>
      connectors[platform].fetchFollowerCount(account, secret),
    );
    const recordedAt = now.toISOString();
    await recordFollowerCount(config.TABLE_NAME, userId, {
      platform,
      date: recordedAt.slice(0, 10),
      count,
      source: 'platform',
      recordedAt,
    });
    report.followers.read++;
    read = true;
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.failure !== 'reauth_required') {
      report.followers.retried++;
      return false;
    }
    report.followers.skipped++;
  }
  await moveFollowerRead(config.TABLE_NAME, connection, next);
  return read;
}
