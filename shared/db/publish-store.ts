import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ContentRecord } from '../domain/content';
import type { StoredPostStatus } from '../domain/execution';
import type { PostExecution } from '../schemas/execution';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { withoutKeys } from './expressions';
import { dueIndexEntry, keys } from './keys';
import { executionItem } from './platform-import-store';

/**
 * Publishing one due post through a connection, at most once per (campaign, day, platform): the
 * content item's `publish` record is claimed with a conditional write before the platform is
 * called, and only the claimant may settle it (published, deferred to a later window, unknown,
 * failed). `deferred` is the one state a later window may claim again.
 */
export type PublishState = 'claimed' | 'published' | 'deferred' | 'unknown' | 'failed';

/** A claim older than this lost its invocation (the connector's timeout is far shorter): the next one reconciles it. */
export const STALE_CLAIM_MS = 10 * 60_000;

export interface PublishRecord {
  state: PublishState;
  marker: string;
  claimedAt: string;
  /** Windows this post was moved on by a 429. */
  deferrals: number;
  /** A deferred post is claimable from this window start on. */
  retryAt?: string;
  reason?: string;
  platformPostId?: string;
  url?: string;
}

export type PublishableItem = ContentRecord & { postStatus?: StoredPostStatus; publish?: PublishRecord };

/** BatchGetItem's limit. */
const BATCH_GET_MAX = 100;
type ItemKey = { PK: string; SK: string };
interface PendingRead {
  table: string;
  key: ItemKey;
  waiters: ((item: PublishableItem | undefined) => void)[];
  fail: ((error: unknown) => void)[];
}
const pendingReads = new Map<string, PendingRead>();

/**
 * The content item as it is now (a consistent read). The reads a process asks for in the same turn
 * of the event loop (a shard worker's posts in flight, overlapping invocations) go out together as
 * consistent BatchGetItems: a window's due posts cost one request per 100, not one each.
 */
export function readPublishable(table: string, key: ItemKey): Promise<PublishableItem | undefined> {
  return new Promise((resolve, reject) => {
    if (pendingReads.size === 0) setImmediate(() => void flushReads());
    const id = `${table}\u0000${itemId(key)}`;
    const pending = pendingReads.get(id) ?? { table, key, waiters: [], fail: [] };
    pending.waiters.push(resolve);
    pending.fail.push(reject);
    pendingReads.set(id, pending);
  });
}

async function flushReads() {
  const reads = [...pendingReads.values()];
  pendingReads.clear();
  const chunks: (typeof reads)[] = [];
  for (const table of new Set(reads.map((read) => read.table))) {
    const ofTable = reads.filter((read) => read.table === table);
    for (let i = 0; i < ofTable.length; i += BATCH_GET_MAX) chunks.push(ofTable.slice(i, i + BATCH_GET_MAX));
  }
  await Promise.all(chunks.map(readChunk));
}

const itemId = (key: Record<string, unknown>) => `${String(key.PK)}\u0000${String(key.SK)}`;

async function readChunk(chunk: PendingRead[]) {
  const table = chunk[0].table;
  try {
    const found = new Map<string, PublishableItem>();
    let request: BatchGetCommandInput['RequestItems'] = { [table]: { Keys: chunk.map((read) => read.key), ConsistentRead: true } };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      // Unprocessed keys (throttling) are asked again after a growing pause, as the SDK's retries would.
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const page: BatchGetCommandOutput = await dynamo.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of page.Responses?.[table] ?? []) found.set(itemId(item), withoutKeys(item) as unknown as PublishableItem);
      request = page.UnprocessedKeys;
    }
    for (const read of chunk) for (const resolve of read.waiters) resolve(found.get(itemId(read.key)));
  } catch (error) {
    for (const read of chunk) for (const reject of read.fail) reject(error);
  }
}

export type ClaimResult = { claimed: true } | { claimed: false; reason: 'taken' | 'daily_cap'; current?: PublishRecord };

/**
 * Claims the post for this window: it is still open (no status but `due`), nobody claimed it, or
 * it was deferred to this window or before. The platform's daily counter goes up in the same
 * transaction, conditioned on staying within `dailyCap`.
 */
export async function claimPost(
  table: string,
  userId: string,
  key: { PK: string; SK: string },
  claim: { marker: string; now: string; windowStart: string; platform: string; dailyCap: number; previousDeferrals: number },
): Promise<ClaimResult> {
  const day = claim.windowStart.slice(0, 10);
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table,
              Key: key,
              UpdateExpression: 'SET publish = :claim, postStatus = :due',
              ConditionExpression:
                'attribute_exists(PK) AND (attribute_not_exists(postStatus) OR postStatus = :due) AND ' +
                '(attribute_not_exists(publish) OR (publish.#state = :deferred AND publish.retryAt <= :window))',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ':claim': {
                  state: 'claimed',
                  marker: claim.marker,
                  claimedAt: claim.now,
                  deferrals: claim.previousDeferrals,
                } satisfies PublishRecord,
                ':due': 'due' satisfies StoredPostStatus,
                ':deferred': 'deferred' satisfies PublishState,
                ':window': claim.windowStart,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            Update: {
              TableName: table,
              Key: keys.publishCount(userId, claim.platform, day),
              UpdateExpression: 'ADD n :one SET expiresAt = :ttl',
              ConditionExpression: 'attribute_not_exists(n) OR n < :cap',
              ExpressionAttributeValues: { ':one': 1, ':cap': claim.dailyCap, ':ttl': Math.floor(Date.parse(day) / 1000) + 3 * 86_400 },
            },
          },
        ],
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [content, counter] = error.CancellationReasons ?? [];
    if (content?.Code === 'ConditionalCheckFailed') {
      const current = content.Item ? (unmarshall(content.Item).publish as PublishRecord | undefined) : undefined;
      return { claimed: false, reason: 'taken', current };
    }
    if (counter?.Code === 'ConditionalCheckFailed') return { claimed: false, reason: 'daily_cap' };
    throw error;
  }
}

/** Takes over a claim whose holder vanished (its invocation died after claiming): only one taker wins, and it must reconcile, never resend. */
export async function takeOverClaim(table: string, key: { PK: string; SK: string }, heldSince: string, now: string): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'SET publish.claimedAt = :now',
      ConditionExpression: 'publish.#state = :claimed AND publish.claimedAt = :held',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':now': now, ':held': heldSince, ':claimed': 'claimed' satisfies PublishState },
    }),
  );
}

const settle = async (table: string, key: { PK: string; SK: string }, update: string, values: Record<string, unknown>) => {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: update,
      ConditionExpression: 'publish.#state = :claimed',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ...values, ':claimed': 'claimed' satisfies PublishState },
    }),
  );
};

/**
 * A 429: back to claimable from `retryAt` on, moved in the due index to that window (same shard), the
 * deferral counted. The platform created nothing, so the claim's day counter is given back (after
 * the deferral: a crash between the two leaves the counter one high, never the post lost).
 */
export async function deferPost(
  table: string,
  post: { key: { PK: string; SK: string }; userId: string; campaignId: string; platform: string },
  claim: { windowStart: string; retryAt: string },
): Promise<boolean> {
  const { retryAt } = claim;
  const entry = dueIndexEntry(retryAt, post.userId, post.campaignId, post.platform);
  const deferred = await settle(
    table,
    post.key,
    'SET publish.#state = :deferred, publish.retryAt = :retryAt, publish.deferrals = publish.deferrals + :one, GSI1PK = :gpk, GSI1SK = :gsk',
    {
      ':deferred': 'deferred' satisfies PublishState,
      ':retryAt': retryAt,
      ':one': 1,
      ':gpk': entry.GSI1PK,
      ':gsk': entry.GSI1SK,
    },
  );
  if (!deferred) return false;
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.publishCount(post.userId, post.platform, claim.windowStart.slice(0, 10)),
      UpdateExpression: 'ADD n :minusOne',
      ConditionExpression: 'n > :zero',
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    }),
  );
  return true;
}

/** Unknown or failed: the post stays open (`due`) for the creator to confirm by hand; it leaves the due index, so nothing retries it. */
export function settleUnpublished(table: string, key: { PK: string; SK: string }, state: 'unknown' | 'failed', reason: string) {
  return settle(table, key, 'SET publish.#state = :state, publish.reason = :reason REMOVE GSI1PK, GSI1SK', {
    ':state': state,
    ':reason': reason.slice(0, 300),
  });
}

/**
 * Published: the content item `posted` (out of the due index) and its execution item with the
 * platform's id and URL, `source: published`, in one transaction conditioned on the claim. A
 * confirmation the creator made meanwhile is kept (the execution item is written only if absent).
 */
export async function recordPublished(
  table: string,
  post: { key: { PK: string; SK: string }; userId: string; campaignId: string; day: number; platform: string },
  published: { platformPostId: string; url: string; publishedAt: string },
  now: string,
): Promise<boolean> {
  const execution: PostExecution & { source: 'published'; url: string } = {
    campaignId: post.campaignId,
    day: post.day,
    platform: post.platform as PostExecution['platform'],
    posted: true,
    status: 'posted',
    platformPostId: published.platformPostId,
    url: published.url,
    postedAt: new Date(published.publishedAt).toISOString(),
    history: [],
    version: 1,
    confirmedAt: now,
    updatedAt: now,
    source: 'published',
  };
  const contentUpdate = {
    TableName: table,
    Key: post.key,
    UpdateExpression:
      'SET postStatus = :posted, publish.#state = :published, publish.platformPostId = :id, publish.#url = :url, updatedAt = :now REMOVE GSI1PK, GSI1SK',
    ConditionExpression: 'publish.#state = :claimed',
    ExpressionAttributeNames: { '#state': 'state', '#url': 'url' },
    ExpressionAttributeValues: {
      ':posted': 'posted' satisfies StoredPostStatus,
      ':published': 'published' satisfies PublishState,
      ':claimed': 'claimed' satisfies PublishState,
      ':id': published.platformPostId,
      ':url': published.url,
      ':now': now,
    },
  };
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: contentUpdate },
          {
            Put: {
              TableName: table,
              Item: executionItem(post.userId, execution),
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [content, executionPut] = error.CancellationReasons ?? [];
    if (content?.Code === 'ConditionalCheckFailed') return false;
    if (executionPut?.Code !== 'ConditionalCheckFailed') throw error;
  }
  return conditionalWrite(new UpdateCommand(contentUpdate));
}

/** The campaign's platforms published automatically (`autoPublish`, a string set on the header): added or removed. */
export async function setAutoPublish(table: string, userId: string, campaignId: string, platform: string, auto: boolean): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      UpdateExpression: `${auto ? 'ADD' : 'DELETE'} autoPublish :platform`,
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':platform': new Set([platform]) },
    }),
  );
}
