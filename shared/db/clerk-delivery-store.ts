import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { userUpsert } from './account-store';
import { dynamo } from './client';
import { keys } from './keys';
import { putOnce, type TransactItem } from './put-once';

/** How long a delivery's `svix-id` marker keeps a redelivery of it out. */
const DELIVERY_MARKER_DAYS = 30;

/** What a Clerk delivery changes: the user item upserted, or the account's deletion requested. */
export type ClerkUserChange = { kind: 'upsert'; userId: string; email?: string } | { kind: 'deletion'; userId: string };

/**
 * The delivery's marker (conditional on its absence) and its change in one transaction, so a
 * replayed or redelivered message changes nothing. False when the marker was there (a replay).
 */
export async function recordClerkDelivery(
  table: string,
  svixId: string,
  type: string,
  change: ClerkUserChange | undefined,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const effects: TransactItem[] = [];
  if (change?.kind === 'upsert') {
    effects.push({ Update: userUpsert(table, change.userId, at, { email: change.email }) });
  } else if (change?.kind === 'deletion') {
    const { userId } = change;
    effects.push(
      {
        Update: {
          TableName: table,
          Key: keys.user(userId),
          UpdateExpression: 'SET userId = :userId, deletionRequestedAt = :now',
          ExpressionAttributeValues: { ':userId': userId, ':now': at },
        },
      },
      {
        Put: {
          TableName: table,
          Item: { ...keys.deletionRequest(userId), userId, status: 'requested', source: 'clerk', svixId, requestedAt: at },
        },
      },
    );
  }
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          putOnce(table, {
            ...keys.webhookDelivery(svixId),
            type,
            receivedAt: at,
            expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_MARKER_DAYS * 86_400,
          }),
          ...effects,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
