import type { Config } from '../core/config';
import { mapLimited } from '../db/concurrency';
import { campaignForTrigger, duePostsInShard, markDue, type DuePost, type MalformedEntry } from '../db/due-posts';
import type { DayRange } from '../domain/due-window';
import type { CreatorEvent } from '../domain/events';
import { logger } from '../core/logger';
import { emitCreatorEvents, type EmitterConfig } from './emit';

/** One unit of the posting trigger's fan-out: one shard of the due index for one UTC day range. */
export interface ShardTask {
  windowStart: string;
  range: DayRange;
  shard: number;
}

/**
 * Publishes a due post of a platform the campaign publishes to automatically (shared/app/publish-post.ts,
 * passed in by the worker); `remind` sends it down the reminder path instead (e.g. not approved).
 */
export type Publisher = (post: DuePost, campaign: { name?: string }) => Promise<string>;

export interface ShardReport {
  shard: number;
  day: string;
  due: number;
  marked: number;
  notified: number;
  duplicates: number;
  deliveries: number;
  /** Posts of campaigns that are neither in_progress nor generating, or confirmed already: not an error. */
  passed: number;
  /** Posts of `auto` platforms by outcome (published, deferred, failed, unknown, in_flight). */
  publishing: Record<string, number>;
  /** Poisoned entries: skipped, logged, never blocking the rest of the window. */
  skipped: MalformedEntry[];
}

const isTransient = (error: unknown) => {
  const sdk = error as { $fault?: string; $retryable?: unknown };
  return sdk.$fault === 'server' || Boolean(sdk.$retryable);
};

/** Requests in flight per shard; 16 shards × 16 stay well inside DynamoDB's and the SDK's limits. */
const POST_CONCURRENCY = 16;

/**
 * Processes one shard of a window: for each due post, its campaign must be in_progress, or
 * generating (a post is due-indexed when its week is ready; a failed campaign's ready posts wait
 * for its retry), the content item moves to `due`
 * (conditional), and `post.due` is emitted with the post's due time as `occurredAt`, so a re-run
 * or an overlapping window notifies once. A post that cannot be processed is skipped and reported;
 * a failure of the emitter (table, bus) throws, and the invocation's retry redoes the shard.
 */
export async function processShard(
  config: EmitterConfig & Pick<Config, 'TABLE_NAME'>,
  task: ShardTask,
  now = new Date().toISOString(),
  publish?: Publisher,
): Promise<ShardReport> {
  const table = config.TABLE_NAME;
  const { posts, malformed } = await duePostsInShard(table, task.range, task.shard, now);
  const report: ShardReport = {
    shard: task.shard,
    day: task.range.day,
    due: posts.length,
    marked: 0,
    notified: 0,
    duplicates: 0,
    deliveries: 0,
    passed: 0,
    publishing: {},
    skipped: [...malformed],
  };
  const campaigns = new Map<string, ReturnType<typeof campaignForTrigger>>();
  const campaignOf = (post: DuePost) => {
    const id = `${post.userId}#${post.campaignId}`;
    if (!campaigns.has(id)) campaigns.set(id, campaignForTrigger(table, post.userId, post.campaignId));
    return campaigns.get(id)!;
  };

  const events = await mapLimited(posts, POST_CONCURRENCY, async (post): Promise<CreatorEvent | undefined> => {
    const skip = (reason: string) => {
      report.skipped.push({ key: `${post.key.PK} ${post.key.SK}`, reason });
      return undefined;
    };
    try {
      const campaign = await campaignOf(post);
      if (!campaign) return skip('campaign not found');
      // A generating campaign's due-indexed posts are those of its ready weeks (shared/workflow/weeks.ts).
      if (campaign.status !== 'in_progress' && campaign.status !== 'generating') {
        report.passed++;
        return undefined;
      }
      if (publish && campaign.autoPublish?.has(post.platform)) {
        const outcome = await publish(post, campaign);
        if (outcome !== 'remind') {
          report.publishing[outcome] = (report.publishing[outcome] ?? 0) + 1;
          return undefined;
        }
      }
      const marked = await markDue(table, post.key, now);
      if (marked === 'missing') return skip('content item not found');
      if (marked === 'not_planned') {
        report.passed++;
        return undefined;
      }
      if (marked === 'marked') report.marked++;
      return {
        type: 'post.due',
        userId: post.userId,
        campaignId: post.campaignId,
        occurredAt: post.dueAt,
        data: { campaignName: campaign.name, day: post.day, platform: post.platform, title: post.title, dueAt: post.dueAt },
        dedupeKey: `post.due#${post.key.SK}#${post.dueAt}`,
      };
    } catch (error) {
      // Throttling and service faults heal: the shard's retry redoes it. Anything else is this item's own fault.
      if (isTransient(error)) throw error;
      return skip(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    }
  });

  const emitted = await emitCreatorEvents(
    config,
    events.filter((event): event is CreatorEvent => event !== undefined),
    now,
  );
  Object.assign(report, { notified: emitted.notified, duplicates: emitted.duplicates, deliveries: emitted.deliveries });
  if (report.skipped.length) logger.warn('due posts skipped', { shard: task.shard, day: task.range.day, skipped: report.skipped });
  return report;
}
