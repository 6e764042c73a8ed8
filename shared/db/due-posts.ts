import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DayRange } from '../domain/due-window';
import type { StoredPostStatus } from '../domain/execution';
import { dynamo } from './client';
import { STALE_CLAIM_MS, type PublishState } from './publish-store';
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
 * Reads one shard of the due-post index for a day range, every page, in an order that starts at a
 * random post (startingAtRandom). The index projects whole items; only what the trigger needs comes
 * back (keys, day, platform, dueAt, title). A post another
 * invocation claimed for publishing less than STALE_CLAIM_MS ago is left out: it is that
 * invocation's to settle, and overlapping invocations of a window do not read it again.
 */
export async function duePostsInShard(
  table: string,
  range: DayRange,
  shard: number,
  now: string,
): Promise<{ posts: DuePost[]; malformed: MalformedEntry[] }> {
  const staleClaimsBefore = new Date(Date.parse(now) - STALE_CLAIM_MS).toISOString();
  const posts: DuePost[] = [];
  const malformed: MalformedEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        FilterExpression: 'attribute_not_exists(publish) OR publish.#state <> :claimed OR publish.claimedAt < :stale',
        ExpressionAttributeValues: {
          ':pk': keys.duePk(range.day, shard),
          ':from': range.from,
          ':to': range.to,
          ':claimed': 'claimed' satisfies PublishState,
          ':stale': staleClaimsBefore,
        },
        ExpressionAttributeNames: { '#day': 'day', '#state': 'state' },
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
  return { posts: startingAtRandom(posts), malformed };
}

/**
 * The posts from a random one on, wrapping around: overlapping invocations of a window (Lambda's
 * retries, a late schedule) start on different posts, so they mostly find each other's claims in
 * one read instead of all racing for the same claim transaction.
 */
export function startingAtRandom<T>(items: T[], random = Math.random): T[] {
  const start = Math.floor(random() * items.length);
  return [...items.slice(start), ...items.slice(0, start)];
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
