import { GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { withMetricsReports } from '../domain/execution';
import { nextCheckpoint, type MetricsCheckpoint } from '../domain/metrics-checkpoints';
import type { PostExecution, PostMetrics } from '../schemas/execution';
import { connectedPlatforms } from '../schemas/vocabulary';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { withoutKeys } from './expressions';
import { dueShard, keys } from './keys';

/**
 * The scheduled import's two sparse GSI1 indexes (shared/db/keys.ts):
 * - a post execution carrying a platform id is indexed at its next metrics checkpoint
 *   (`METRICSDUE#<shard>`); the entry is derived from the execution alone (metricsIndexKeys), so
 *   every writer of the item (publishing, confirm-day, the CSV import, the import itself) rewrites it;
 * - a connection is indexed at its next daily follower read (`FOLLOWERSDUE#<shard>`).
 */

type Indexable = Pick<
  PostExecution,
  'campaignId' | 'day' | 'platform' | 'posted' | 'platformPostId' | 'postedAt' | 'confirmedAt' | 'metricsCheckpoints'
>;

/** The execution's metrics index entry: its next checkpoint; none without a platform id, on a platform Crescendo cannot connect to, or after the last checkpoint. */
export function metricsIndexKeys(userId: string, execution: Indexable): { GSI1PK: string; GSI1SK: string } | undefined {
  if (!execution.posted || !execution.platformPostId || !(connectedPlatforms as readonly string[]).includes(execution.platform))
    return undefined;
  const next = nextCheckpoint(execution.postedAt ?? execution.confirmedAt, execution.metricsCheckpoints ?? []);
  if (!next) return undefined;
  return {
    GSI1PK: keys.metricsDuePk(dueShard(userId, execution.campaignId)),
    GSI1SK: keys.metricsDueSk(next.at, userId, execution.campaignId, execution.day, execution.platform),
  };
}

/** The execution item as stored: keys, its metrics index entry, the execution. */
export const executionItem = (userId: string, execution: PostExecution) => ({
  ...keys.execution(userId, execution.campaignId, execution.day, execution.platform),
  ...metricsIndexKeys(userId, execution),
  ...execution,
});

export interface MetricsDuePost {
  userId: string;
  campaignId: string;
  day: number;
  platform: string;
  platformPostId: string;
  postedAt: string;
  checkpoints: string[];
  /** The index entry read: the write that records the checkpoint is conditioned on it. */
  indexSk: string;
}

async function queryIndex(table: string, pk: string, now: string, projection: string, names: Record<string, string>) {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
      ExpressionAttributeValues: { ':pk': pk, ':now': now },
      ProjectionExpression: projection,
      ExpressionAttributeNames: names,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

/** One shard's posts whose next checkpoint is at or before `now`, every page. */
export async function postsWithDueMetrics(table: string, shard: number, now: string): Promise<MetricsDuePost[]> {
  const items = await queryIndex(
    table,
    keys.metricsDuePk(shard),
    now,
    'PK, GSI1SK, campaignId, #day, platform, platformPostId, postedAt, confirmedAt, metricsCheckpoints',
    { '#day': 'day' },
  );
  return items.map((item) => ({
    userId: String(item.PK).slice(keys.userPk('').length),
    campaignId: String(item.campaignId),
    day: Number(item.day),
    platform: String(item.platform),
    platformPostId: String(item.platformPostId),
    postedAt: String(item.postedAt ?? item.confirmedAt),
    checkpoints: (item.metricsCheckpoints as string[] | undefined) ?? [],
    indexSk: String(item.GSI1SK),
  }));
}

/**
 * Records a fetched checkpoint: the platform's numbers appended to the history (`source: platform`;
 * the newest report wins, never summed) — or none when the platform no longer has the post — and
 * the index entry moved to the next checkpoint. Conditioned on the version and the index entry
 * read, so a checkpoint is recorded once; false when another writer came first (the next run sees it).
 */
export async function recordCheckpoint(
  table: string,
  post: MetricsDuePost,
  checkpoint: MetricsCheckpoint,
  metrics: PostMetrics | undefined,
  now: string,
): Promise<boolean> {
  const key = keys.execution(post.userId, post.campaignId, post.day, post.platform);
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  if (!Item || Item.GSI1SK !== post.indexSk) return false;
  const previous = withoutKeys(Item) as unknown as PostExecution;
  const reported = metrics ? withMetricsReports(previous, [{ reportedAt: now, metrics, source: 'platform' }], now) : previous;
  const next: PostExecution = {
    ...reported,
    metricsCheckpoints: [...(previous.metricsCheckpoints ?? []), checkpoint],
    version: previous.version + 1,
    updatedAt: now,
  };
  return conditionalWrite(
    new PutCommand({
      TableName: table,
      Item: executionItem(post.userId, next),
      ConditionExpression: 'version = :read AND GSI1SK = :sk',
      ExpressionAttributeValues: { ':read': previous.version, ':sk': post.indexSk },
    }),
  );
}

/** A connection's follower index entry at `at`. */
export const followersIndexKeys = (userId: string, platform: string, at: string) => ({
  GSI1PK: keys.followersDuePk(dueShard(userId, platform)),
  GSI1SK: keys.followersDueSk(at, userId, platform),
});

export interface FollowersDue {
  userId: string;
  platform: string;
  status: string;
  indexSk: string;
}

/** One shard's connections whose follower count is due at `now`. */
export async function connectionsWithDueFollowers(table: string, shard: number, now: string): Promise<FollowersDue[]> {
  const items = await queryIndex(table, keys.followersDuePk(shard), now, 'PK, GSI1SK, platform, #status', { '#status': 'status' });
  return items.map((item) => ({
    userId: String(item.PK).slice(keys.userPk('').length),
    platform: String(item.platform),
    status: String(item.status),
    indexSk: String(item.GSI1SK),
  }));
}

/** Moves a connection's follower entry to its next read; false when it moved already (another run) or the connection is gone. */
export async function moveFollowerRead(table: string, due: FollowersDue, nextAt: string): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.connection(due.userId, due.platform),
      UpdateExpression: 'SET GSI1SK = :next',
      ConditionExpression: 'GSI1SK = :read',
      ExpressionAttributeValues: { ':next': followersIndexKeys(due.userId, due.platform, nextAt).GSI1SK, ':read': due.indexSk },
    }),
  );
}
