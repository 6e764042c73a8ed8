import type * as z from '../schemas/zod';
import type { Config } from '../core/config';
import { readUser } from '../db/account-store';
import { createDelivery, createWebhook, deliveryView, getDelivery, getWebhook } from '../db/webhook-store';
import { newJobId } from '../domain/jobs';
import { plans } from '../domain/plans';
import { quotaExceeded } from '../domain/quotas';
import { newWebhookSecret } from '../domain/webhooks';
import { DomainError } from '../core/errors';
import type { createWebhookSchema, Delivery, Webhook } from '../schemas/webhooks';
import { invokeDeliveryWorker } from './emit';
import { assertWebhookUrl } from './webhook-http';

/** The API side of webhook subscriptions (routes under /webhooks). */
type NewWebhook = z.infer<typeof createWebhookSchema>;

const policyOf = (config: Pick<Config, 'WEBHOOK_ALLOW_PRIVATE_URLS'>) => ({ allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' });

/**
 * Checks the URL (scheme, credentials, every resolved address) and the plan's `webhooks` limit
 * (402; the store's conditional count decides between concurrent creations), stores the
 * subscription, returns it with its secret: the only time the secret is shown.
 */
export async function subscribe(
  config: Pick<Config, 'TABLE_NAME' | 'WEBHOOK_ALLOW_PRIVATE_URLS'>,
  userId: string,
  request: NewWebhook,
  now: string,
): Promise<Webhook & { secret: string }> {
  await assertWebhookUrl(request.url, policyOf(config));
  const { tier, webhooks } = await readUser(config.TABLE_NAME, userId);
  const max = plans[tier].webhooks;
  const webhook = {
    webhookId: newJobId(Date.parse(now)),
    url: request.url,
    eventTypes: request.eventTypes,
    ...(request.description && { description: request.description }),
    status: 'active' as const,
    consecutiveFailures: 0,
    secret: newWebhookSecret(),
    createdAt: now,
    updatedAt: now,
  };
  if (webhooks >= max || !(await createWebhook(config.TABLE_NAME, userId, webhook, max)))
    throw quotaExceeded('webhooks', Math.max(webhooks, max) + 1, max);
  return webhook;
}

/** A `webhook.test` delivery to one active subscription, sent by the worker like any other (202). */
export async function sendTestDelivery(
  config: Pick<Config, 'TABLE_NAME' | 'WEBHOOK_DELIVERY_FUNCTION_NAME'>,
  userId: string,
  webhookId: string,
  now: string,
): Promise<Delivery> {
  const webhook = await getWebhook(config.TABLE_NAME, userId, webhookId);
  if (webhook.status !== 'active') {
    throw new DomainError(
      'WEBHOOK_DISABLED',
      'This webhook was disabled after failing deliveries; create a new one for the fixed endpoint',
      { disabledAt: webhook.disabledAt },
    );
  }
  const deliveryId = newJobId(Date.parse(now));
  const payload = JSON.stringify({ id: deliveryId, type: 'webhook.test', occurredAt: now, userId, data: { webhookId } });
  await createDelivery(config.TABLE_NAME, userId, { deliveryId, webhookId, eventId: deliveryId, type: 'webhook.test', payload }, now);
  await invokeDeliveryWorker(config.WEBHOOK_DELIVERY_FUNCTION_NAME, { userId, webhookId, deliveryId });
  return deliveryView((await getDelivery(config.TABLE_NAME, userId, webhookId, deliveryId))!);
}
