import { GetObjectCommand } from '@aws-sdk/client-s3';
import { logger } from '../core/logger';
import { ConnectorError, type PostToPublish } from '../connectors/connector';
import { connectors, isConnectedPlatform } from '../connectors';
import { markerOf } from '../connectors/marker';
import type { DuePost } from '../db/due-posts';
import {
  claimPost,
  deferPost,
  readPublishable,
  recordPublished,
  settleUnpublished,
  STALE_CLAIM_MS,
  takeOverClaim,
} from '../db/publish-store';
import { WINDOW_MINUTES } from '../domain/due-window';
import { publishingRefusal, publishingRules } from '../domain/platform-rules';
import type { CreatorEvent } from '../domain/events';
import { emitCreatorEvents, type EmitterConfig } from '../events/emit';
import { s3 } from '../media/s3';
import { withConnection } from './connections';

/**
 * Publishes one due post of an `auto` platform in the window that contains its planned time, at
 * most once per (campaign, day, platform):
 * 1. the post must be approved (otherwise the creator is reminded, as in `remind` mode) and pass
 *    the platform's rules (shared/domain/platform-rules.ts) before anything is sent;
 * 2. a conditional claim (with the platform's daily counter) before the call: of concurrent
 *    invocations one publishes, the others leave it;
 * 3. the call; a 429 moves the post to the next window (counted, never dropped); an unknown outcome
 *    (timeout or 5xx after sending) is reconciled by looking the post up by its marker first;
 *    found → published, else `unknown`: notified, never sent again blindly;
 * 4. refused, needs_reauth, unknown, over the daily cap, breaking a rule: a notification and a
 *    `post.failed` event; the post stays open for the creator to confirm by hand.
 */
export type PublishOutcome = 'published' | 'deferred' | 'failed' | 'unknown' | 'in_flight' | 'remind';

export interface PublishConfig extends EmitterConfig {
  MEDIA_BUCKET_NAME?: string;
}

export async function publishDuePost(
  config: PublishConfig,
  post: DuePost,
  context: { campaignName?: string; windowStart: string },
  clock: () => Date = () => new Date(),
): Promise<PublishOutcome> {
  const table = config.TABLE_NAME;
  if (!isConnectedPlatform(post.platform)) return 'remind';
  const platform = post.platform;
  const item = await readPublishable(table, post.key);
  if (!item || item.approval?.state !== 'approved') return 'remind';

  const text = (item.post ?? item.title ?? '').trim();
  const image = await thumbnailOf(config, item.thumbnailKey);
  const marker = markerOf(text);
  const failed = (reason: string, state: 'failed' | 'unknown') => notifyUnpublished(config, post, context, state, reason, clock);

  if (item.publish?.state === 'claimed') {
    // Claimed by an invocation still running (or that died: then reconcile, never resend).
    if (clock().getTime() - Date.parse(item.publish.claimedAt) < STALE_CLAIM_MS) return 'in_flight';
    if (!(await takeOverClaim(table, post.key, item.publish.claimedAt, clock().toISOString()))) return 'in_flight';
    return reconcile(config, post, context, item.publish.marker, item.publish.claimedAt, clock);
  }
  if (item.publish && item.publish.state !== 'deferred') return 'in_flight';

  const refusal = publishingRefusal(platform, { text, ...(image && { image: { mimeType: image.mimeType, bytes: image.bytes.length } }) });
  if (refusal) {
    await failed(refusal, 'failed');
    return 'failed';
  }

  const claimedAt = clock().toISOString();
  const claim = await claimPost(table, post.userId, post.key, {
    marker,
    now: claimedAt,
    windowStart: context.windowStart,
    platform,
    dailyCap: publishingRules[platform]!.dailyCap,
    previousDeferrals: item.publish?.deferrals ?? 0,
  });
  if (!claim.claimed) {
    if (claim.reason === 'taken') return 'in_flight';
    await failed(`the daily limit of ${publishingRules[platform]!.dailyCap} posts is reached`, 'failed');
    return 'failed';
  }

  const toPublish: PostToPublish = { text, marker, ...(image && { image: { ...image, alt: item.title ?? '' } }) };
  try {
    const published = await withConnection(config, post.userId, platform, (account, secret) =>
      connectors[platform].publish(account, secret, toPublish),
    );
    await recordPublished(table, post, published, clock().toISOString());
    return 'published';
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.failure === 'rate_limited') {
      await deferPost(table, post, {
        windowStart: context.windowStart,
        retryAt: nextWindowStart(context.windowStart, error.retryAfterSeconds),
      });
      return 'deferred';
    }
    if (error.failure === 'outcome_unknown') return reconcile(config, post, context, marker, claimedAt, clock);
    await settleUnpublished(table, post.key, 'failed', error.message);
    await failed(reasonOf(error), 'failed');
    return 'failed';
  }
}

/** The window after the current one, or a later one when the platform's Retry-After says so (counted from the window's start). */
export function nextWindowStart(windowStart: string, retryAfterSeconds = 0): string {
  const size = WINDOW_MINUTES * 60_000;
  const start = Date.parse(windowStart);
  const earliest = start + Math.max(size, retryAfterSeconds * 1000);
  return new Date(Math.ceil(earliest / size) * size).toISOString();
}

async function reconcile(
  config: PublishConfig,
  post: DuePost,
  context: { campaignName?: string; windowStart: string },
  marker: string,
  since: string,
  clock: () => Date,
): Promise<PublishOutcome> {
  const platform = post.platform as keyof typeof connectors;
  const lookedUpSince = new Date(Date.parse(since) - 60_000).toISOString();
  try {
    const found = await withConnection(config, post.userId, platform, (account, secret) =>
      connectors[platform].findByMarker(account, secret, marker, lookedUpSince),
    );
    if (found) {
      await recordPublished(config.TABLE_NAME, post, found, clock().toISOString());
      return 'published';
    }
  } catch (error) {
    logger.warn('reconciliation lookup failed', { platform, failure: (error as ConnectorError).failure });
  }
  const reason = 'the platform did not confirm the post and it was not found afterwards; check your account before posting it by hand';
  if (await settleUnpublished(config.TABLE_NAME, post.key, 'unknown', reason)) {
    await notifyUnpublished(config, post, context, 'unknown', reason, clock);
  }
  return 'unknown';
}

const reasonOf = (error: ConnectorError) =>
  error.failure === 'reauth_required' ? 'the connection needs to be made again' : `the platform refused it (${error.failure})`;

function notifyUnpublished(
  config: EmitterConfig,
  post: DuePost,
  context: { campaignName?: string },
  state: 'failed' | 'unknown',
  reason: string,
  clock: () => Date,
) {
  const event: CreatorEvent = {
    type: 'post.failed',
    userId: post.userId,
    campaignId: post.campaignId,
    occurredAt: post.dueAt,
    data: {
      campaignName: context.campaignName,
      day: post.day,
      platform: post.platform,
      title: post.title,
      dueAt: post.dueAt,
      state,
      reason,
    },
    // One per post and due time: re-runs of the window notify once.
    dedupeKey: `post.failed#${post.key.SK}#${post.dueAt}`,
  };
  return emitCreatorEvents(config, [event], clock().toISOString());
}

async function thumbnailOf(config: PublishConfig, key: string | undefined): Promise<{ bytes: Uint8Array; mimeType: string } | undefined> {
  if (!key || !config.MEDIA_BUCKET_NAME) return undefined;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: config.MEDIA_BUCKET_NAME, Key: key }));
    return { bytes: await object.Body!.transformToByteArray(), mimeType: object.ContentType ?? 'image/png' };
  } catch (error) {
    logger.warn('thumbnail not read; publishing the text alone', { error: (error as Error).name });
    return undefined;
  }
}
