import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PacingStatus } from '../schemas/vocabulary';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { dueShard, keys } from './keys';

/**
 * The campaign's last pacing status (`pacingStatus` on the header) and how many times it turned
 * `behind` (`behindCount`, which numbers the `campaign.behind` events). A change is conditional on
 * the status read, so of two evaluations at once one records it (and its event) and the other
 * changes nothing. Returns whether this call recorded it.
 */
export async function recordPacingStatus(
  table: string,
  userId: string,
  campaignId: string,
  change: { from?: PacingStatus; to: PacingStatus; behindCount: number },
  now: string,
): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      UpdateExpression: 'SET pacingStatus = :to, behindCount = :count, pacingChangedAt = :now',
      ConditionExpression: `attribute_exists(PK) AND ${change.from ? 'pacingStatus = :from' : 'attribute_not_exists(pacingStatus)'}`,
      ExpressionAttributeValues: {
        ':to': change.to,
        ':count': change.behindCount,
        ':now': now,
        ...(change.from && { ':from': change.from }),
      },
    }),
  );
}

/**
 * The daily evaluation of a running campaign's pacing, new numbers or not: a marker item in the
 * campaign's partition, indexed in GSI1 at its next evaluation (`PACINGDUE#<shard>`), written when
 * generation ends and moved a day on by each evaluation.
 */
export interface PacingDue {
  userId: string;
  campaignId: string;
  /** The index entry read: moving it is conditioned on it, so of two runs one moves it. */
  indexSk: string;
}

const pacingIndexKeys = (userId: string, campaignId: string, at: string) => ({
  GSI1PK: keys.pacingDuePk(dueShard(userId, campaignId)),
  GSI1SK: keys.pacingDueSk(at, userId, campaignId),
});

/** Indexes the campaign's daily pacing evaluation at `at` (a re-run writes the same marker again). */
export async function schedulePacingEvaluation(table: string, userId: string, campaignId: string, at: string): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.pacingMarker(userId, campaignId), ...pacingIndexKeys(userId, campaignId, at), userId, campaignId },
    }),
  );
}

/** One shard's campaigns whose evaluation is due at `now`, oldest first, at most `limit` (the rest wait for the next run). */
export async function pacingEvaluationsDue(table: string, shard: number, now: string, limit: number): Promise<PacingDue[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK <= :now',
      ExpressionAttributeValues: { ':pk': keys.pacingDuePk(shard), ':now': now },
      ProjectionExpression: 'userId, campaignId, GSI1SK',
      Limit: limit,
    }),
  );
  return Items.map((item) => ({ userId: String(item.userId), campaignId: String(item.campaignId), indexSk: String(item.GSI1SK) }));
}

/** Moves the marker to the next evaluation; false when another run moved it first (or it is gone). */
export function movePacingEvaluation(table: string, due: PacingDue, nextAt: string): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.pacingMarker(due.userId, due.campaignId),
      UpdateExpression: 'SET GSI1SK = :next',
      ConditionExpression: 'GSI1SK = :read',
      ExpressionAttributeValues: { ':next': pacingIndexKeys(due.userId, due.campaignId, nextAt).GSI1SK, ':read': due.indexSk },
    }),
  );
}

/** The campaign ended, is gone or has nothing to pace: no more daily evaluations. */
export async function dropPacingEvaluation(table: string, due: PacingDue): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.pacingMarker(due.userId, due.campaignId) }));
}
