import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Allowance } from '../domain/rate-limit';
import { dynamo } from './client';
import { keys } from './keys';

/** A lease's answer: the window's counters after the grant, or as they were when it was refused (none: no window item yet). */
export type LeaseAnswer = { granted: true; allowance: Allowance } | { granted: false; allowance?: Allowance };

const allowanceOf = (item: Record<string, unknown> | undefined): Allowance | undefined =>
  typeof item?.lim === 'number' && typeof item.avail === 'number' && typeof item.lent === 'number'
    ? { limit: item.lim, avail: item.avail, lent: item.lent }
    : undefined;

/**
 * A block of a user's window (`RATE#<uid>` / `W#<window start>`, see shared/domain/rate-limit.ts):
 * `avail` down by `size`, `lent` up by `size` less the spent block it returns, if the item's limit
 * is the one the caller sized the block for, `avail` covers it and `lent` stays within `lentMax`.
 */
export function leaseBlock(
  table: string,
  userId: string,
  windowStart: number,
  lease: { limit: number; size: number; returning: number; lentMax: number },
): Promise<LeaseAnswer> {
  return updateWindow(table, userId, windowStart, {
    UpdateExpression: 'SET avail = avail - :size, lent = lent + :delta',
    ConditionExpression: 'lim = :lim AND avail >= :size AND lent <= :lentMax',
    ExpressionAttributeValues: {
      ':lim': lease.limit,
      ':size': lease.size,
      ':delta': lease.size - lease.returning,
      ':lentMax': lease.lentMax,
    },
  });
}

/** One request counted on its own (returning the caller's spent block): needs neither the limit nor room under the cap. */
export function countSingle(table: string, userId: string, windowStart: number, returning: number): Promise<LeaseAnswer> {
  return updateWindow(table, userId, windowStart, {
    UpdateExpression: 'SET avail = avail - :one, lent = lent - :returning',
    ConditionExpression: 'attribute_exists(lim) AND avail >= :one',
    ExpressionAttributeValues: { ':one': 1, ':returning': returning },
  });
}

/**
 * The window's first lease: creates the item with the limit, its expiry (TTL) and the first block
 * handed out. Refused when another container opened it first (its counters come back).
 */
export function openWindow(
  table: string,
  userId: string,
  windowStart: number,
  open: { limit: number; size: number; expiresAt: number },
): Promise<LeaseAnswer> {
  return updateWindow(table, userId, windowStart, {
    UpdateExpression: 'SET lim = :lim, avail = :avail, lent = :size, expiresAt = :exp',
    ConditionExpression: 'attribute_not_exists(lim)',
    ExpressionAttributeValues: { ':lim': open.limit, ':avail': open.limit - open.size, ':size': open.size, ':exp': open.expiresAt },
  });
}

async function updateWindow(
  table: string,
  userId: string,
  windowStart: number,
  update: Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'>,
): Promise<LeaseAnswer> {
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
    const allowance = allowanceOf(Attributes);
    if (!allowance) throw new Error('The rate window answered without its counters');
    return { granted: true, allowance };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return { granted: false, allowance: allowanceOf(error.Item ? unmarshall(error.Item) : undefined) };
  }
}
