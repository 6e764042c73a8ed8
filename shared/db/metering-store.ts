import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';
import { keys } from './keys';
import { putOnce, type TransactItem } from './put-once';
import type { AttemptRef } from './workflow-store';
import { periodOf } from '../domain/plans';
import { monthlyAddition, usageAddition, ZERO_USAGE, type Usage } from '../domain/usage';

/** Progress counters added with the result, so they too count once per stored result. */
export type ProgressCounts = Partial<Record<'batchesDone' | 'postsDone' | 'critiqueRounds', number>>;

/** A conditional Put or Update of the result that was paid for. */
export type ResultWrite = Pick<TransactItem, 'Put' | 'Update'>;

/** How long a meter marker outlives its task: longer than any retry of it. */
const METER_MARKER_DAYS = 40;
/**
 * Attempts of a transaction cancelled by a TransactionConflict: tasks of one campaign run in
 * parallel (up to 24 thumbnails at once) and all ADD to the same campaign and month items, which
 * DynamoDB refuses while another transaction holds them; the SDK does not retry that.
 */
const CONFLICT_ATTEMPTS = 6;
const CONFLICT_BACKOFF_MS = 25;

/**
 * The idempotency token of a paid task: what was paid for, so that a retry of the same task
 * (same campaign, output and inputs) has the same token and a different task never does.
 */
export const meterToken = (...parts: (string | number)[]) => parts.join('#');

/** The month's ADD and the token's marker (conditional on its absence); none when nothing was paid or no token is given. */
function monthlyItems(
  table: string,
  userId: string,
  usage: Usage,
  token: string | undefined,
  at: Date,
  about: Record<string, string>,
): TransactItem[] {
  const monthly = monthlyAddition(usage);
  if (!monthly || !token) return [];
  return [
    {
      Update: {
        TableName: table,
        Key: keys.usage(userId, periodOf(at).month),
        UpdateExpression: monthly.expression,
        ExpressionAttributeNames: monthly.names,
        ExpressionAttributeValues: monthly.values,
      },
    },
    putOnce(table, {
      ...keys.meter(userId, token),
      ...about,
      meteredAt: at.toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + METER_MARKER_DAYS * 86_400,
    }),
  ];
}

/**
 * Meters usage that belongs to no campaign (a profile analysis) into the creator's month, once per
 * token. False when the token was metered before.
 */
export async function meterUsage(
  table: string,
  userId: string,
  usage: Usage,
  token: string,
  about: Record<string, string>,
  at = new Date(),
): Promise<boolean> {
  const TransactItems = monthlyItems(table, userId, usage, token, at, about);
  if (TransactItems.length === 0) return false;
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}

/**
 * Stores a paid result and meters its usage in one transaction: the campaign header's `usage`
 * counters, the creator's monthly usage item (`USAGE#<yyyy-mm>`, what the quotas read) and a
 * marker keyed by the task's idempotency token (`METER#<token>`, conditional on its absence).
 * So the usage (and any progress counts) is counted exactly when the result is newly stored and
 * the token was never metered: a retried task whose result is stored already (its write's
 * condition fails) adds nothing, and neither does one whose token was metered (the result is
 * then stored without usage). Returns whether this call stored the result.
 *
 * What this cannot see: two runs of the same task at the very same time (a task timed out by Step
 * Functions while its Lambda still ran) both pay for a call, and only the stored one is counted.
 */
export async function storeWithUsage(
  table: string,
  ref: AttemptRef,
  write: ResultWrite,
  usage: Usage,
  progress: ProgressCounts = {},
  token?: string,
  at = new Date(),
): Promise<boolean> {
  const addition = usageAddition(usage);
  const counts = Object.entries(progress).filter(([, value]) => value !== 0);
  const clauses = [...(addition ? addition.clauses : []), ...counts.map((_, i) => `progress.#c${i} :c${i}`)];
  const TransactItems: TransactItem[] = [write];
  if (clauses.length > 0) {
    TransactItems.push({
      Update: {
        TableName: table,
        Key: keys.campaign(ref.userId, ref.campaignId),
        UpdateExpression: `ADD ${clauses.join(', ')}`,
        ExpressionAttributeNames: {
          ...(addition && { '#usage': 'usage' }),
          ...Object.fromEntries(counts.map(([name], i) => [`#c${i}`, name])),
        },
        ExpressionAttributeValues: { ...addition?.values, ...Object.fromEntries(counts.map(([, value], i) => [`:c${i}`, value])) },
      },
    });
  }
  const monthly = monthlyItems(table, ref.userId, usage, token, at, { campaignId: ref.campaignId });
  const markerIndex = monthly.length > 0 ? TransactItems.length + 1 : -1;
  TransactItems.push(...monthly);
  for (let attempt = 1; ; attempt++) {
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
      // Metered before (a retried task that paid again): keep the result, count nothing (progress included).
      if (markerIndex >= 0 && reasons[markerIndex]?.Code === 'ConditionalCheckFailed') return storeWithUsage(table, ref, write, ZERO_USAGE);
      if (attempt >= CONFLICT_ATTEMPTS || !reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
      // Capped exponential backoff with full jitter, so the parallel writers spread out.
      await sleep(Math.random() * CONFLICT_BACKOFF_MS * 2 ** attempt);
    }
  }
}
