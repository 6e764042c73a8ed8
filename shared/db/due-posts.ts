import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DayRange } from '../domain/due-window';
import type { StoredPostStatus } from '../domain/execution';
import { dynamo } from './client';
import { DUE_SHARDS, keys } from './keys';

export interface DuePost {
  /** The content item's table key. */
  key: { PK: string; SK: string };
  userId: string;
  campaignId: string;
  day: number;
  platform: string;
  dueAt: string;
  title?: string;
}

/** An index entry that cannot be a due post (a hand-written or half-written item): skipped and reported. */
export interface MalformedEntry {
  key: string;
  reason: string;
}

/**
 * Reads one shard of the due-post index for a day range, every page. The index projects whole
 * items; only what the trigger needs comes back (keys, day, platform, dueAt, title).
 */
export async function duePostsInShard(
  table: string,
  range: DayRange,
  shard: number,
): Promise<{ posts: DuePost[]; malformed: MalformedEntry[] }> {
  const posts: DuePost[] = [];
  const malformed: MalformedEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.duePk(range.day, shard), ':from': range.from, ':to': range.to },
        ExpressionAttributeNames: { '#day': 'day' },
        ProjectionExpression: 'PK, SK, GSI1SK, #day, platform, dueAt, title, publish.retryAt',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const [time, userId, campaignId, platform] = String(item.GSI1SK).split('#');
      // BETWEEN is inclusive; the window's end belongs to the next window.
      if (time >= range.to) continue;
      const dueAt = String(item.dueAt ?? '');
      // A post a 429 deferred is indexed at its retry time (shared/db/publish-store.ts).
      const indexedAt = String((item.publish as { retryAt?: string } | undefined)?.retryAt ?? dueAt);
      if (!userId || !campaignId || !platform || typeof item.day !== 'number' || !indexedAt.startsWith(`${range.day}T${time}`)) {
        malformed.push({
          key: `${String(item.PK)} ${String(item.SK)}`,
          reason: 'index entry does not match a content item (day, platform, dueAt)',
        });
        continue;
      }
      const title = typeof item.title === 'string' ? item.title : undefined;
      posts.push({ key: { PK: String(item.PK), SK: String(item.SK) }, userId, campaignId, day: item.day, platform, dueAt, title });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { posts, malformed };
}

export const allShards = () => Array.from({ length: DUE_SHARDS }, (_, shard) => shard);

/** What the trigger needs of a campaign header (eventually consistent: the status changed minutes ago at the latest). */
export async function campaignForTrigger(
  table: string,
  userId: string,
  campaignId: string,
): Promise<{ status: string; name?: string; autoPublish?: Set<string> } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      ProjectionExpression: '#status, #name, autoPublish',
      ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
    }),
  );
  return Item as { status: string; name?: string; autoPublish?: Set<string> } | undefined;
}

export type MarkResult = 'marked' | 'already_due' | 'not_planned' | 'missing';

/**
 * Moves a planned or approved post to `due` (it has no stored status yet): one conditional
 * UpdateItem. The item as it was decides the rest: already `due` (a re-run, an overlapping
 * window) still gets its event (idempotent), `posted`/`skipped` does not, a missing one is reported.
 */
export async function markDue(table: string, key: DuePost['key'], now: string): Promise<MarkResult> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET postStatus = :due, dueMarkedAt = :now',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(postStatus)',
        ExpressionAttributeValues: { ':due': 'due' satisfies StoredPostStatus, ':now': now },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'marked';
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    if (!error.Item) return 'missing';
    return unmarshall(error.Item).postStatus === 'due' ? 'already_due' : 'not_planned';
  }
}
