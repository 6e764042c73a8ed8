import type { Config } from '../core/config';
import { putNotification } from '../db/notification-store';
import { countFailure, getDelivery, getWebhookForDelivery, recordAttempt, resetFailures } from '../db/webhook-store';
import { eventId } from '../domain/events';
import { backoffMs, DELIVERY_HEADER, EVENT_HEADER, isDelivered, SIGNATURE_HEADER, signatureHeader } from '../domain/webhooks';
import { logger } from '../core/logger';
import type { DeliveryAttempt } from '../schemas/webhooks';
import { postWebhook, RefusedUrl } from './webhook-http';

export type DeliveryConfig = Pick<
  Config,
  | 'TABLE_NAME'
  | 'WEBHOOK_ALLOW_PRIVATE_URLS'
  | 'WEBHOOK_MAX_ATTEMPTS'
  | 'WEBHOOK_RETRY_BASE_MS'
  | 'WEBHOOK_TIMEOUT_MS'
  | 'WEBHOOK_DISABLE_AFTER'
>;

export interface DeliveryRef {
  userId: string;
  webhookId: string;
  deliveryId: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one pending delivery: up to WEBHOOK_MAX_ATTEMPTS signed POSTs with exponential backoff,
 * each attempt recorded on the delivery (a fresh timestamp and signature each time). A 2xx ends
 * the subscription's failure streak; a delivery whose attempts all fail extends it, and the
 * failure that reaches WEBHOOK_DISABLE_AFTER disables the subscription and notifies the creator.
 * A delivery that is no longer pending (Lambda's own retry of this invocation) is left alone.
 */
export async function deliver(config: DeliveryConfig, ref: DeliveryRef): Promise<{ status: string; attempts: number }> {
  const { TABLE_NAME: table, userId } = { ...config, ...ref };
  const delivery = await getDelivery(table, userId, ref.webhookId, ref.deliveryId);
  if (!delivery || delivery.status !== 'pending') return { status: delivery?.status ?? 'missing', attempts: 0 };
  const webhook = await getWebhookForDelivery(table, userId, ref.webhookId);
  const policy = { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true', timeoutMs: config.WEBHOOK_TIMEOUT_MS };

  for (let attempt = 1; attempt <= config.WEBHOOK_MAX_ATTEMPTS; attempt++) {
    await sleep(backoffMs(attempt, config.WEBHOOK_RETRY_BASE_MS));
    const started = Date.now();
    const record: DeliveryAttempt = { attempt, at: new Date(started).toISOString(), durationMs: 0 };
    let retry = true;
    if (!webhook || webhook.status !== 'active') {
      record.error = webhook ? 'the subscription is disabled' : 'the subscription was deleted';
      retry = false;
    } else {
      try {
        const headers = {
          [SIGNATURE_HEADER]: signatureHeader(webhook.secret, delivery.payload, Math.floor(started / 1000)),
          [DELIVERY_HEADER]: delivery.deliveryId,
          [EVENT_HEADER]: delivery.type,
        };
        record.status = (await postWebhook(new URL(webhook.url), delivery.payload, headers, policy)).status;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
        // An address refused now will be refused on every attempt.
        retry = !(error instanceof RefusedUrl);
      }
    }
    record.durationMs = Date.now() - started;
    const delivered = record.status !== undefined && isDelivered(record.status);
    const last = delivered || !retry || attempt === config.WEBHOOK_MAX_ATTEMPTS;
    await recordAttempt(table, userId, ref, record, delivered ? 'succeeded' : last ? 'failed' : 'pending');
    if (delivered) {
      await resetFailures(table, userId, ref.webhookId, record.at);
      return { status: 'succeeded', attempts: attempt };
    }
    if (last) break;
  }

  if (webhook?.status === 'active') await countAndMaybeDisable(config, ref, webhook.url);
  return { status: 'failed', attempts: config.WEBHOOK_MAX_ATTEMPTS };
}

async function countAndMaybeDisable(config: DeliveryConfig, ref: DeliveryRef, url: string) {
  const now = new Date().toISOString();
  const { disabled, consecutiveFailures } = await countFailure(
    config.TABLE_NAME,
    ref.userId,
    ref.webhookId,
    config.WEBHOOK_DISABLE_AFTER,
    now,
  );
  if (!disabled) return;
  logger.warn('webhook disabled after consecutive failures', { webhookId: ref.webhookId, consecutiveFailures });
  await putNotification(
    config.TABLE_NAME,
    {
      notificationId: eventId(now, `webhook.disabled#${ref.webhookId}#${now}`),
      type: 'webhook.disabled',
      userId: ref.userId,
      occurredAt: now,
      data: { webhookId: ref.webhookId, url, consecutiveFailures },
    },
    now,
  );
}
