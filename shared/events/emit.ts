import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Config } from '../core/config';
import { mapLimited } from '../db/concurrency';
import { deleteNotification, putNotification } from '../db/notification-store';
import { createDelivery, deleteDelivery, listWebhooks } from '../db/webhook-store';
import { eventId, type CreatorEvent } from '../domain/events';
import { deliveryIdOf } from '../domain/webhooks';
import { logger } from '../core/logger';
import type { Webhook } from '../schemas/webhooks';

/**
 * The one way anything tells a creator (and their integrations) that something happened:
 *
 * 1. a notification, written with a conditional PutItem keyed by the event id (from `occurredAt`
 *    and `dedupeKey`), so emitting the same event again notifies once;
 * 2. one delivery per active webhook subscribed to the type, also keyed by (event, subscription)
 *    and conditional, each handed to the delivery worker by an asynchronous Lambda invoke; a
 *    re-emitted event re-creates only what is missing (an emitter that died halfway heals);
 * 3. the event on the EventBridge bus (PutEvents, 10 per request), for a new event only. If the
 *    bus refuses it, the notification is removed again and the call throws: the emitter's retry
 *    then redoes all three (the bus is at-least-once; consumers dedupe on `id`).
 *
 * Requests per event: 1 PutItem + 1 Query per creator and call (subscriptions, memoized) + per
 * subscriber 1 PutItem and 1 Invoke + 1/10 PutEvents.
 */
export type EmitterConfig = Pick<Config, 'TABLE_NAME' | 'EVENT_BUS_NAME' | 'WEBHOOK_DELIVERY_FUNCTION_NAME'>;

export const EVENT_SOURCE = 'crescendo';
const EMIT_CONCURRENCY = 10;
const PUT_EVENTS_BATCH = 10;

let lambda: LambdaClient | undefined;
const eventBridge = new EventBridgeClient({});

/** The JSON every consumer sees: the webhook body and the bus event's `detail`. */
export function eventPayload(event: CreatorEvent, id = eventId(event.occurredAt, event.dedupeKey)) {
  return { id, type: event.type, occurredAt: event.occurredAt, userId: event.userId, campaignId: event.campaignId, data: event.data };
}

export interface EmitResult {
  /** Events notified for the first time. */
  notified: number;
  /** Events emitted before (no second notification, no second bus event). */
  duplicates: number;
  /** Webhook deliveries started by this call. */
  deliveries: number;
}

/** Hands a delivery to its worker. The Lambda SDK is imported at the first one (a lazy chunk): most events have no subscriber. */
export async function invokeDeliveryWorker(
  functionName: string,
  ref: { userId: string; webhookId: string; deliveryId: string },
): Promise<void> {
  const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
  lambda ??= new LambdaClient({});
  await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(ref) }));
}

export async function emitCreatorEvents(
  config: EmitterConfig,
  events: readonly CreatorEvent[],
  now = new Date().toISOString(),
): Promise<EmitResult> {
  const subscriptions = new Map<string, Promise<Webhook[]>>();
  const subscribers = async (event: CreatorEvent) => {
    let all = subscriptions.get(event.userId);
    if (!all) subscriptions.set(event.userId, (all = listWebhooks(config.TABLE_NAME, event.userId)));
    return (await all).filter((hook) => hook.status === 'active' && hook.eventTypes.includes(event.type));
  };
  const result: EmitResult = { notified: 0, duplicates: 0, deliveries: 0 };
  const fresh: { event: CreatorEvent; id: string }[] = [];

  await mapLimited(events, EMIT_CONCURRENCY, async (event) => {
    const id = eventId(event.occurredAt, event.dedupeKey);
    const isNew = await putNotification(
      config.TABLE_NAME,
      {
        notificationId: id,
        type: event.type,
        userId: event.userId,
        campaignId: event.campaignId,
        occurredAt: event.occurredAt,
        data: event.data,
      },
      now,
    );
    if (isNew) {
      result.notified++;
      fresh.push({ event, id });
    } else result.duplicates++;
    const payload = JSON.stringify(eventPayload(event, id));
    for (const hook of await subscribers(event)) {
      const deliveryId = deliveryIdOf(id, hook.webhookId, event.occurredAt);
      const created = await createDelivery(
        config.TABLE_NAME,
        event.userId,
        { deliveryId, webhookId: hook.webhookId, eventId: id, type: event.type, payload },
        now,
      );
      if (!created) continue;
      try {
        await invokeDeliveryWorker(config.WEBHOOK_DELIVERY_FUNCTION_NAME, { userId: event.userId, webhookId: hook.webhookId, deliveryId });
      } catch (error) {
        // A delivery nobody will send must not block the emitter's retry from creating it again.
        await deleteDelivery(config.TABLE_NAME, event.userId, hook.webhookId, deliveryId);
        throw error;
      }
      result.deliveries++;
    }
  });

  await publish(config, fresh);
  return result;
}

export const emitCreatorEvent = (config: EmitterConfig, event: CreatorEvent, now?: string) => emitCreatorEvents(config, [event], now);

async function publish(config: EmitterConfig, fresh: readonly { event: CreatorEvent; id: string }[]) {
  for (let i = 0; i < fresh.length; i += PUT_EVENTS_BATCH) {
    const batch = fresh.slice(i, i + PUT_EVENTS_BATCH);
    const entries: PutEventsRequestEntry[] = batch.map(({ event, id }) => ({
      EventBusName: config.EVENT_BUS_NAME,
      Source: EVENT_SOURCE,
      DetailType: event.type,
      Time: new Date(event.occurredAt),
      Detail: JSON.stringify(eventPayload(event, id)),
    }));
    const response = await eventBridge.send(new PutEventsCommand({ Entries: entries }));
    const failed = batch.filter((_, index) => response.Entries?.[index]?.ErrorCode);
    if (failed.length === 0) continue;
    // Undo the notifications of the refused events so the emitter's retry publishes them again.
    await Promise.all(failed.map(({ event, id }) => deleteNotification(config.TABLE_NAME, event.userId, id)));
    logger.error('events refused by the bus', {
      failed: failed.map(({ id }) => id),
      errors: response.Entries?.map((entry) => entry.ErrorCode).filter(Boolean),
    });
    throw new Error(`EventBridge refused ${failed.length} of ${batch.length} events`);
  }
}
