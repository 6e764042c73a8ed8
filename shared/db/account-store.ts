import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TIER, periodOf, tierOf } from '../domain/plans';
import type { Tier } from '../schemas/plans';
import type { QuotaState } from '../domain/quotas';
import { monthlyUsageOf, type MonthlyCounter } from '../domain/usage';
import { hasAiKey } from './ai-key-store';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { keys } from './keys';

/** The campaign statuses that count against `activeCampaigns`. */
export const ACTIVE_STATUSES = ['generating', 'in_progress'] as const;

/** The user item's count of webhook subscriptions (ADDed by their creation and deletion, checked against the plan). */
export const WEBHOOK_COUNT = 'webhookCount';
/** The user item's count of API keys (ADDed by their creation and revocation, checked against the plan). */
export const API_KEY_COUNT = 'apiKeyCount';

export interface UserRecord {
  userId: string;
  email?: string;
  tier: Tier;
  /** Webhook subscriptions the creator has. */
  webhooks: number;
  /** API keys the creator has. */
  apiKeys: number;
}

/**
 * The idempotent upsert of the user item (`USER#<uid>` / `USER`): whoever comes first (the Clerk
 * webhook, onboarding, the first write request) creates it; nothing set already is overwritten
 * except what `set` names.
 */
export function userUpsert(
  table: string,
  userId: string,
  now: string,
  set: { email?: string; tier?: Tier } = {},
  emailIfMissing?: string,
): UpdateCommandInput & { UpdateExpression: string } {
  const values: Record<string, unknown> = { ':userId': userId, ':now': now };
  const clauses = ['userId = :userId', 'createdAt = if_not_exists(createdAt, :now)'];
  values[':tier'] = set.tier ?? DEFAULT_TIER;
  clauses.push(set.tier ? 'tier = :tier' : 'tier = if_not_exists(tier, :tier)');
  const email = set.email ?? emailIfMissing;
  if (email) {
    values[':email'] = email;
    clauses.push(set.email ? 'email = :email' : 'email = if_not_exists(email, :email)');
  }
  if (set.tier || set.email) clauses.push('updatedAt = :now');
  return { TableName: table, Key: keys.user(userId), UpdateExpression: `SET ${clauses.join(', ')}`, ExpressionAttributeValues: values };
}

/** A count kept on the user item and checked against the plan: webhook subscriptions, API keys. */
export type UserCount = typeof WEBHOOK_COUNT | typeof API_KEY_COUNT;

/**
 * The transaction item that takes one unit of a user-item count while it is under `max`, upserting
 * the user item (for a creator whose Clerk webhook has not arrived): put first in a transaction,
 * so its ConditionalCheckFailed (the first cancellation reason) means the limit is reached.
 */
export function takeCountUnit(table: string, userId: string, now: string, count: UserCount, max: number) {
  const upsert = userUpsert(table, userId, now);
  return {
    Update: {
      ...upsert,
      UpdateExpression: `${upsert.UpdateExpression} ADD #count :one`,
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeNames: { '#count': count },
      ExpressionAttributeValues: { ...upsert.ExpressionAttributeValues, ':one': 1, ':max': max },
    },
  };
}

/** The transaction item that gives one unit of a user-item count back (a deletion). */
export function returnCountUnit(table: string, userId: string, count: UserCount) {
  return {
    Update: {
      TableName: table,
      Key: keys.user(userId),
      UpdateExpression: 'ADD #count :minusOne',
      ExpressionAttributeNames: { '#count': count },
      ExpressionAttributeValues: { ':minusOne': -1 },
    },
  };
}

/** The transaction's first item failed its condition (a count at its limit, or the item to delete missing). */
export const firstConditionFailed = (error: unknown) =>
  error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed';

export async function upsertUser(table: string, userId: string, now: string, set: { email?: string; tier?: Tier } = {}): Promise<void> {
  await dynamo.send(new UpdateCommand(userUpsert(table, userId, now, set)));
}

/** Sets the tier of an existing user item; false when there is none (a plan change never creates a user). */
export async function setUserTier(table: string, userId: string, tier: Tier, now: string): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.user(userId),
      UpdateExpression: 'SET tier = :tier, updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':tier': tier, ':now': now },
    }),
  );
}

/** The user item, or the defaults of a user the webhook has not created yet. */
export async function readUser(table: string, userId: string): Promise<UserRecord & { exists: boolean }> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.user(userId) }));
  return {
    userId,
    ...(typeof Item?.email === 'string' && { email: Item.email }),
    tier: tierOf(Item?.tier),
    webhooks: Number(Item?.[WEBHOOK_COUNT] ?? 0),
    apiKeys: Number(Item?.[API_KEY_COUNT] ?? 0),
    exists: Item !== undefined,
  };
}

export async function readMonthlyUsage(table: string, userId: string, month: string) {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.usage(userId, month), ConsistentRead: true }));
  return monthlyUsageOf(Item);
}

/**
 * Campaigns generating or in progress: a Query of the caller's campaign list with a status filter.
 * A generating campaign past its lease is failed (shared/domain/campaign-status.ts) and not counted.
 */
export async function countActiveCampaigns(table: string, userId: string, now = new Date().toISOString()): Promise<number> {
  let count = 0;
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: '#status = :a1 OR (#status = :a0 AND NOT #execution.leaseUntil < :now)',
      ExpressionAttributeNames: { '#status': 'status', '#execution': 'execution' },
      ExpressionAttributeValues: { ':pk': keys.campaignListPk(userId), ':a0': ACTIVE_STATUSES[0], ':a1': ACTIVE_STATUSES[1], ':now': now },
      Select: 'COUNT',
    },
  );
  for await (const page of pages) count += page.Count ?? 0;
  return count;
}

/** Everything the quotas are checked against, read in parallel (the active campaigns only when asked: a GSI1 Query). */
export async function readQuotaState(
  table: string,
  userId: string,
  now: Date,
  withActiveCampaigns = true,
): Promise<{ user: UserRecord & { exists: boolean }; state: QuotaState }> {
  const [user, usage, activeCampaigns, ownAiKey] = await Promise.all([
    readUser(table, userId),
    readMonthlyUsage(table, userId, periodOf(now).month),
    withActiveCampaigns ? countActiveCampaigns(table, userId, now.toISOString()) : 0,
    hasAiKey(table, userId),
  ]);
  return { user, state: { tier: user.tier, usage, activeCampaigns, webhooks: user.webhooks, apiKeys: user.apiKeys, ownAiKey, now } };
}

/**
 * Counts `amount` of `counter` in the month only while the result stays ≤ `max`: one conditional
 * ADD, so two concurrent requests cannot both take the last unit. False when it would cross.
 */
export async function reserveUsage(
  table: string,
  userId: string,
  month: string,
  counter: MonthlyCounter,
  amount: number,
  max: number,
): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.usage(userId, month),
      UpdateExpression: 'ADD #c :n',
      ConditionExpression: 'attribute_not_exists(#c) OR #c <= :room',
      ExpressionAttributeNames: { '#c': counter },
      ExpressionAttributeValues: { ':n': amount, ':room': max - amount },
    }),
  );
}

/** Adds to one counter of the month (a negative amount gives a reservation back). */
export async function addUsage(table: string, userId: string, month: string, counter: MonthlyCounter, amount: number): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.usage(userId, month),
      UpdateExpression: 'ADD #c :n',
      ExpressionAttributeNames: { '#c': counter },
      ExpressionAttributeValues: { ':n': amount },
    }),
  );
}
