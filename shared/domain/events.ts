import { createHash } from 'node:crypto';
import { platformLabels, type Platform } from '../schemas/common';
import { newJobId } from './jobs';
import type { EventType, NotificationType } from '../schemas/vocabulary';

/**
 * What happens to a creator's campaigns that the creator (a notification), their integrations
 * (signed webhooks) and the cloud's event bus hear about. One contract for every emitter:
 * shared/events/emit.ts.
 */

export interface CreatorEvent {
  type: EventType;
  userId: string;
  campaignId?: string;
  /**
   * When it happened, a fact of the event (the post's due time, the moment of the status change),
   * never the emitter's clock: with `dedupeKey` it makes the event's id, so a re-run emits the same id.
   */
  occurredAt: string;
  /** Event-specific facts, sent as is in the webhook payload and on the bus. */
  data: Record<string, unknown>;
  /** The same key is notified (and delivered) once, however often it is emitted. */
  dedupeKey: string;
}

/**
 * The event's id, also its notification's id: a ULID whose time part is `occurredAt` (so a
 * creator's notifications sort by it) and whose other 16 characters come from a hash of the
 * dedupe key (so emitting twice builds the same id, and the conditional Put stops the second).
 */
export function eventId(occurredAt: string, dedupeKey: string): string {
  return newJobId(Date.parse(occurredAt), createHash('sha256').update(dedupeKey).digest());
}

/** Notifications disappear by TTL this long after they were written. */
export const NOTIFICATION_TTL_DAYS = 90;

export function expiresAt(now: string, days: number): number {
  return Math.floor(Date.parse(now) / 1000) + days * 86_400;
}

const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.length > 0 ? value : fallback);

/** The title and one-line message a creator reads for a notification. */
export function notificationText(type: NotificationType, data: Record<string, unknown>): { title: string; message: string } {
  const campaign = text(data.campaignName, 'Your campaign');
  switch (type) {
    case 'campaign.generated':
      return {
        title: 'Your campaign is ready',
        message: `${campaign} is planned: ${Number(data.postsTotal ?? 0)} posts are waiting for your review.`,
      };
    case 'campaign.failed':
      return {
        title: 'Campaign generation failed',
        message: `${campaign} could not be generated (${text(data.step, 'unknown step')}): ${text(data.message, 'unknown error')}. You can retry it.`,
      };
    case 'post.due': {
      const platform = platformLabels[data.platform as Platform] ?? text(data.platform, 'your platform');
      return { title: `Time to post on ${platform}`, message: `Day ${Number(data.day)}: ${text(data.title, 'your planned post')}` };
    }
    case 'campaign.completed':
      return { title: 'Campaign completed', message: `${campaign} is complete; its outcome report is ready.` };
    case 'post.failed': {
      const platform = platformLabels[data.platform as Platform] ?? text(data.platform, 'your platform');
      return {
        title: `A post could not be published on ${platform}`,
        message: `Day ${Number(data.day)}: ${text(data.reason, 'the platform refused it')}. Post it by hand and confirm it.`,
      };
    }
    case 'connection.needs_reauth': {
      const platform = platformLabels[data.platform as Platform] ?? text(data.platform, 'your platform');
      return {
        title: `Reconnect ${platform}`,
        message: `${platform} refused Crescendo's access to @${text(data.handle, 'your account')}; connect it again to keep publishing.`,
      };
    }
    case 'campaign.behind': {
      const projected = (data.projected ?? {}) as { final?: number; high?: number };
      return {
        title: 'Your campaign is behind its goal',
        message: `${campaign}: ${text(data.metric, 'the goal')} is on course for ${Number(projected.final ?? 0)} (at most ${Number(projected.high ?? 0)} in 9 cases of 10) against a target of ${Number(data.target)}. A re-plan of the remaining posts is proposed: price it, then start it.`,
      };
    }
    case 'campaign.replanned':
      return data.status === 'succeeded'
        ? {
            title: 'Your campaign is re-planned',
            message: `${campaign}: re-plan ${Number(data.n)} rewrote ${Number(data.changed ?? 0)} posts from what has performed; posted, approved and edited posts are as they were.`,
          }
        : {
            title: 'A re-plan failed',
            message: `${campaign}: re-plan ${Number(data.n)} failed (${text(data.message, 'unknown error')}); its posts keep their slots. You can start another.`,
          };
    case 'webhook.disabled':
      return {
        title: 'Webhook disabled',
        message: `Deliveries to ${text(data.url, 'your endpoint')} failed ${Number(data.consecutiveFailures)} times in a row; the subscription is disabled.`,
      };
  }
}
