import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { expiresAt, NOTIFICATION_TTL_DAYS, notificationText } from '../domain/events';
import type { NotificationType } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import type { Notification } from '../schemas/notifications';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { mapLimited } from './concurrency';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { queryUserPage } from './user-page';

/** Notification items: `PK USER#<uid>, SK NOTIF#<eventId>`, expiring by TTL (see keys.ts). */

export interface NotificationInput {
  notificationId: string;
  type: NotificationType;
  userId: string;
  campaignId?: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * Writes a notification unless one with this id exists: returns false for the second write of the
 * same event, which is how every emitter stays idempotent (one conditional PutItem).
 */
export async function putNotification(table: string, input: NotificationInput, now: string): Promise<boolean> {
  const { userId, notificationId, type, campaignId, occurredAt, data } = input;
  const notification: Notification = {
    notificationId,
    type,
    ...notificationText(type, data),
    campaignId,
    data,
    occurredAt,
    createdAt: now,
  };
  return conditionalWrite(
    new PutCommand({
      TableName: table,
      Item: { ...keys.notification(userId, notificationId), ...notification, expiresAt: expiresAt(now, NOTIFICATION_TTL_DAYS) },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

const toNotification = (item: Record<string, unknown>) => {
  const { expiresAt: _ttl, ...rest } = withoutKeys(item);
  return rest as unknown as Notification;
};

/** Takes back a notification whose event the bus refused, so the emitter's retry publishes it again. */
export async function deleteNotification(table: string, userId: string, notificationId: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.notification(userId, notificationId) }));
}

/** The caller's notifications, newest first; `unread` filters after the read (a page may be short). */
export async function listNotifications(table: string, userId: string, options: { limit: number; cursor?: string; unread?: boolean }) {
  const filter = options.unread ? { expression: 'attribute_not_exists(readAt)' } : undefined;
  const page = await queryUserPage(table, userId, keys.notificationSkPrefix, { ...options, filter });
  return { notifications: page.items.map(toNotification), nextCursor: page.nextCursor };
}

/** Marks one notification read (the first read time stays); 404 when there is no such notification. */
export async function markRead(table: string, userId: string, notificationId: string, now: string): Promise<Notification> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.notification(userId, notificationId),
        UpdateExpression: 'SET readAt = if_not_exists(readAt, :now)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toNotification(Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new DomainError('NOTIFICATION_NOT_FOUND', `No notification ${notificationId}`);
    throw error;
  }
}

/** At most this many notifications are marked per read-all call: 10 s of API Lambda hold ~50 of these batches. */
export const READ_ALL_LIMIT = 500;
const READ_ALL_CONCURRENCY = 10;

/**
 * Marks unread notifications read, newest first, up to READ_ALL_LIMIT per call (one keys-only
 * Query page per 100, one UpdateItem each); `more` tells the client to call again.
 */
export async function markAllRead(table: string, userId: string, now: string): Promise<{ marked: number; more: boolean }> {
  const unread: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: 'attribute_not_exists(readAt)',
        ProjectionExpression: 'PK, SK',
        ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.notificationSkPrefix },
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      }),
    );
    unread.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && unread.length <= READ_ALL_LIMIT);
  const batch = unread.slice(0, READ_ALL_LIMIT);
  await mapLimited(batch, READ_ALL_CONCURRENCY, async (key) => {
    await conditionalWrite(
      new UpdateCommand({
        TableName: table,
        Key: { PK: key.PK, SK: key.SK },
        UpdateExpression: 'SET readAt = if_not_exists(readAt, :now)',
        // A notification that expired meanwhile is not recreated as a bare item.
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':now': now },
      }),
    );
  });
  return { marked: batch.length, more: unread.length > READ_ALL_LIMIT || startKey !== undefined };
}
