import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from './client';
import { keys } from './keys';

export interface WindowCount {
  /** Requests counted in the window, this one included (or the count that refused it). */
  count: number;
  limit: number;
  allowed: boolean;
}

const numbers = (item: Record<string, unknown> | undefined) =>
  typeof item?.n === 'number' && typeof item?.lim === 'number' ? { count: item.n, limit: item.lim } : undefined;

/**
 * One request of a user's fixed window: a conditional ADD on `RATE#<uid>` / `W#<window start>`,
 * whose item carries the window's limit (`lim`), so the tier is read once per window, not per
 * request. Returns undefined when the window has no item yet (its first request): the caller
 * opens it with the limit.
 */
export async function countRequest(table: string, userId: string, windowStart: number): Promise<WindowCount | undefined> {
  return addToWindow(table, userId, windowStart, {
    UpdateExpression: 'ADD n :one',
    ConditionExpression: 'attribute_exists(lim) AND n < lim',
    ExpressionAttributeValues: { ':one': 1 },
  });
}

/** The window's first request: sets its limit and expiry (TTL) and counts; a concurrent opener just counts. */
export async function openWindow(
  table: string,
  userId: string,
  windowStart: number,
  limit: number,
  expiresAt: number,
): Promise<WindowCount> {
  const counted = await addToWindow(table, userId, windowStart, {
    UpdateExpression: 'SET lim = if_not_exists(lim, :lim), expiresAt = :exp ADD n :one',
    ConditionExpression: 'attribute_not_exists(n) OR n < lim',
    ExpressionAttributeValues: { ':one': 1, ':lim': limit, ':exp': expiresAt },
  });
  return counted ?? { count: limit, limit, allowed: false };
}

/** A conditional count on the window: the new counters, or the old ones (undefined when none) when the condition refused it. */
async function addToWindow(
  table: string,
  userId: string,
  windowStart: number,
  update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
): Promise<WindowCount | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.rateWindow(userId, windowStart),
        ...update,
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    const counted = numbers(Attributes);
    if (!counted) throw new Error('The rate window answered without its counters');
    return { ...counted, allowed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const old = numbers(error.Item ? unmarshall(error.Item) : undefined);
    return old && { ...old, allowed: false };
  }
}
