import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, paginateQuery, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAt } from '../domain/events';
import { DELIVERY_TTL_DAYS } from '../domain/webhooks';
import type { Delivery, DeliveryAttempt, Webhook } from '../schemas/webhooks';
import type { DeliveryStatus } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { firstConditionFailed, returnCountUnit, takeCountUnit, WEBHOOK_COUNT } from './account-store';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { createOnce, conditionalWrite } from './put-once';
import { queryUserPage } from './user-page';

/**
 * Webhook subscriptions (`WEBHOOK#<id>`) and their deliveries (`DELIVERY#<webhookId>#<deliveryId>`,
 * TTL) under the creator's partition. The signing secret is stored with the subscription (see
 * docs/architecture.md) and leaves this module only through `getWebhookForDelivery`.
 */
export type StoredWebhook = Webhook & { secret: string };

export const webhookNotFound = (webhookId: string) => new DomainError('WEBHOOK_NOT_FOUND', `No webhook ${webhookId}`);

const publicView = (item: Record<string, unknown>): Webhook => {
  const { secret: _secret, ...rest } = withoutKeys(item);
  return rest as unknown as Webhook;
};

/** Every subscription of a creator, secrets included (one Query: at most the plan's `webhooks` items). */
async function storedWebhooks(table: string, userId: string): Promise<StoredWebhook[]> {
  const found: StoredWebhook[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.webhookSkPrefix },
    },
  );
  for await (const page of pages) found.push(...(page.Items ?? []).map((item) => withoutKeys(item) as unknown as StoredWebhook));
  return found;
}

export async function listWebhooks(table: string, userId: string): Promise<Webhook[]> {
  return (await storedWebhooks(table, userId)).map((webhook) => publicView(webhook));
}

/**
 * Creates a subscription while the creator has fewer than `max`: one transaction of the Put and an
 * `ADD` to the user item's subscription count conditioned on it being under `max`, so concurrent
 * creations cannot pass the limit together (deleteWebhook gives the unit back). The user item is
 * upserted with it, for a creator whose Clerk webhook has not arrived. False when the limit is reached.
 */
export async function createWebhook(table: string, userId: string, webhook: StoredWebhook, max: number): Promise<boolean> {
  try {
    await createOnce(
      table,
      [takeCountUnit(table, userId, webhook.createdAt, WEBHOOK_COUNT, max)],
      [{ ...keys.webhook(userId, webhook.webhookId), ...webhook }],
    );
    return true;
  } catch (error) {
    if (firstConditionFailed(error)) return false;
    throw error;
  }
}

export async function getWebhookForDelivery(table: string, userId: string, webhookId: string): Promise<StoredWebhook | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.webhook(userId, webhookId), ConsistentRead: true }));
  return Item && (withoutKeys(Item) as unknown as StoredWebhook);
}

export async function getWebhook(table: string, userId: string, webhookId: string): Promise<Webhook> {
  const webhook = await getWebhookForDelivery(table, userId, webhookId);
  if (!webhook) throw webhookNotFound(webhookId);
  return publicView(webhook);
}

/**
 * Deletes the subscription and takes it off the user item's count in one transaction; its
 * deliveries stay until their TTL (a delivery in flight finds no subscription and stops).
 */
export async function deleteWebhook(table: string, userId: string, webhookId: string): Promise<void> {
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table, Key: keys.webhook(userId, webhookId), ConditionExpression: 'attribute_exists(PK)' } },
          returnCountUnit(table, userId, WEBHOOK_COUNT),
        ],
      }),
    );
  } catch (error) {
    if (firstConditionFailed(error)) throw webhookNotFound(webhookId);
    throw error;
  }
}

export interface NewDelivery {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  type: string;
  /** The exact body that is signed and sent. */
  payload: string;
}

/** Records a pending delivery unless it exists; returns false for an event delivered to this subscription already. */
export async function createDelivery(table: string, userId: string, delivery: NewDelivery, now: string): Promise<boolean> {
  return conditionalWrite(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.delivery(userId, delivery.webhookId, delivery.deliveryId),
        ...delivery,
        status: 'pending' satisfies DeliveryStatus,
        attempts: [],
        createdAt: now,
        updatedAt: now,
        expiresAt: expiresAt(now, DELIVERY_TTL_DAYS),
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** Takes back a delivery no worker will send, so the emitter's retry can create it again. */
export async function deleteDelivery(table: string, userId: string, webhookId: string, deliveryId: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.delivery(userId, webhookId, deliveryId) }));
}

export type StoredDelivery = Delivery & { payload: string; expiresAt?: number };

/** A delivery as the API shows it: without its payload and its TTL attribute. */
export function deliveryView({ payload: _payload, expiresAt: _ttl, ...delivery }: StoredDelivery): Delivery {
  return delivery;
}

export async function getDelivery(
  table: string,
  userId: string,
  webhookId: string,
  deliveryId: string,
): Promise<StoredDelivery | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: keys.delivery(userId, webhookId, deliveryId), ConsistentRead: true }),
  );
  return Item && (withoutKeys(Item) as unknown as StoredDelivery);
}

/** Appends one attempt and sets the delivery's status (one UpdateItem per attempt). */
export async function recordAttempt(
  table: string,
  userId: string,
  ref: { webhookId: string; deliveryId: string },
  attempt: DeliveryAttempt,
  status: DeliveryStatus,
): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.delivery(userId, ref.webhookId, ref.deliveryId),
      UpdateExpression: 'SET attempts = list_append(attempts, :attempt), #status = :status, updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':attempt': [attempt], ':status': status, ':now': attempt.at },
    }),
  );
}

/** A webhook's deliveries, newest first, without their payloads. */
export async function listDeliveries(table: string, userId: string, webhookId: string, options: { limit: number; cursor?: string }) {
  const page = await queryUserPage(table, userId, keys.deliverySkPrefix(webhookId), options);
  const deliveries = page.items.map((item) => deliveryView(withoutKeys(item) as unknown as StoredDelivery));
  return { deliveries, nextCursor: page.nextCursor };
}

/** A delivery succeeded: the failure streak ends. */
export async function resetFailures(table: string, userId: string, webhookId: string, now: string): Promise<void> {
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.webhook(userId, webhookId),
      UpdateExpression: 'SET consecutiveFailures = :zero, updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK) AND consecutiveFailures <> :zero',
      ExpressionAttributeValues: { ':zero': 0, ':now': now },
    }),
  );
}

/**
 * Counts a failed delivery (atomic ADD). Returns true exactly once per streak: for the call that
 * disables the subscription (a conditional status change, so concurrent failures agree on one).
 */
export async function countFailure(
  table: string,
  userId: string,
  webhookId: string,
  disableAfter: number,
  now: string,
): Promise<{ disabled: boolean; consecutiveFailures: number }> {
  let consecutiveFailures: number;
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.webhook(userId, webhookId),
        UpdateExpression: 'ADD consecutiveFailures :one SET updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1, ':now': now },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    consecutiveFailures = Number(Attributes?.consecutiveFailures ?? 0);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { disabled: false, consecutiveFailures: 0 };
    throw error;
  }
  if (consecutiveFailures < disableAfter) return { disabled: false, consecutiveFailures };
  const disabled = await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.webhook(userId, webhookId),
      UpdateExpression: 'SET #status = :disabled, disabledAt = :now, updatedAt = :now',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':active': 'active', ':now': now },
    }),
  );
  return { disabled, consecutiveFailures };
}
