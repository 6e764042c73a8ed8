import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../core/logger';
import { CLAIM_LEASE_SECONDS, type IdempotencyRecord, type StoredResponse } from '../domain/idempotency';
import { dynamo } from './client';

/** The idempotency keys of mutating routes (`IDEM#…` items, shared/http/idempotency.ts): claim, complete, release. */

export interface Claim {
  table: string;
  key: { PK: string; SK: string };
  fingerprint: string;
  expiresAt: number;
}

const epochSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Claims the key with one conditional Put. A key is free when it was never used, when its 24 h
 * are over (TTL deletes items late), or when a claim for the same request outlived its lease.
 * Returns the record that holds the key when the claim fails, without a second read.
 */
export async function claimKey(claim: Claim): Promise<IdempotencyRecord | undefined> {
  const now = epochSeconds();
  try {
    await dynamo.send(
      new PutCommand({
        TableName: claim.table,
        Item: {
          ...claim.key,
          fingerprint: claim.fingerprint,
          status: 'in_progress',
          lockedUntil: now + CLAIM_LEASE_SECONDS,
          expiresAt: claim.expiresAt,
        } satisfies IdempotencyRecord & Claim['key'],
        ConditionExpression:
          'attribute_not_exists(PK) OR expiresAt < :now OR (#status = :inProgress AND fingerprint = :fingerprint AND lockedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'in_progress', ':fingerprint': claim.fingerprint },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) return unmarshall(error.Item) as IdempotencyRecord;
    throw error;
  }
}

export async function completeClaim(claim: Claim, response: StoredResponse): Promise<void> {
  const record: IdempotencyRecord = { fingerprint: claim.fingerprint, status: 'completed', expiresAt: claim.expiresAt, response };
  try {
    await dynamo.send(new PutCommand({ TableName: claim.table, Item: { ...claim.key, ...record } }));
  } catch (error) {
    // The work is done and the caller should learn its outcome; the claim's lease frees the key.
    logger.error('could not store the idempotent response', { error });
  }
}

export async function releaseClaim(claim: Claim): Promise<void> {
  try {
    await dynamo.send(new DeleteCommand({ TableName: claim.table, Key: claim.key }));
  } catch (error) {
    logger.error('could not release the idempotency key', { error });
  }
}
