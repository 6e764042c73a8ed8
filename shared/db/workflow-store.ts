import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from '../schemas/zod';
import type { ScheduleRequest, PlannedPost } from '../domain/schedule';
import { DomainError } from '../core/errors';
import { type Campaign } from '../schemas/campaign';
import { campaignFields } from '../schemas/campaign-fields';
import { platformSchema, timeZoneSchema } from '../schemas/common';
import type { ContentItem } from '../schemas/content';
import { applyTransition, notFound, type CampaignRecord } from './campaign-store';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { setExpression, withoutKeys } from './expressions';
import { ZERO_USAGE } from '../domain/usage';
import { mapLimited } from './concurrency';
import { dueIndexEntry, keys } from './keys';

/**
 * Data access of the campaign workflow's tasks (functions/agents). Every task is safe to run again:
 * Step Functions retries, and a campaign's next attempt re-runs the same steps on the same items.
 */

/**
 * Errors the tasks throw on purpose. Step Functions matches Retry and Catch on the error's name;
 * none of these can heal by retrying, so the state machine sends them straight to MarkFailed.
 */
export const permanentWorkflowErrors = [
  'InvalidWorkflowInput',
  'CampaignNotFound',
  'StaleAttempt',
  'CampaignNotGenerating',
  'InvalidCampaign',
  'ContentNotFound',
  'MissingAgentOutput',
] as const;

export class WorkflowError extends Error {
  constructor(name: (typeof permanentWorkflowErrors)[number], message: string) {
    super(message);
    this.name = name;
  }
}

/** The state machine's input, and the ids every task's input carries. */
export const attemptRefSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  campaignId: z.string().check(z.minLength(1)),
  attempt: z.number().check(z.int(), z.positive()),
});
export type AttemptRef = z.infer<typeof attemptRefSchema>;

/** The state machine's input in re-plan mode (shared/app/replan.ts starts it). */
export const replanInputSchema = z.extend(attemptRefSchema, { replan: z.number().check(z.int(), z.positive()) });
export type ReplanInput = z.infer<typeof replanInputSchema>;

export function parseTaskInput(input: unknown): AttemptRef {
  const parsed = attemptRefSchema.safeParse(input);
  if (!parsed.success) throw new WorkflowError('InvalidWorkflowInput', z.prettifyError(parsed.error));
  return parsed.data;
}

/** The campaign header as the workflow reads it: the start route froze the creator's profile into it. */
export type WorkflowCampaign = CampaignRecord & { profileSnapshot?: { timeZone?: unknown } };
type Progress = NonNullable<Campaign['progress']>;
type Failure = NonNullable<Campaign['failure']>;

/** Write requests in flight at once per task: well below the SDK's 50 sockets. */
const WRITE_CONCURRENCY = 10;

function expectAttempt(campaign: WorkflowCampaign | undefined, ref: AttemptRef): WorkflowCampaign {
  if (!campaign) throw new WorkflowError('CampaignNotFound', `No campaign ${ref.campaignId} for user ${ref.userId}`);
  if (campaign.attempt !== ref.attempt) {
    throw new WorkflowError(
      'StaleAttempt',
      `Attempt ${ref.attempt} is not campaign ${ref.campaignId}'s current attempt (${campaign.attempt})`,
    );
  }
  return campaign;
}

export function expectGenerating(campaign: WorkflowCampaign): WorkflowCampaign {
  if (campaign.status !== 'generating') {
    throw new WorkflowError('CampaignNotGenerating', `Campaign ${campaign.campaignId} is ${campaign.status}, not generating`);
  }
  return campaign;
}

/** The campaign header (strongly consistent), if this attempt is still its current one. */
export async function readAttempt(table: string, ref: AttemptRef): Promise<WorkflowCampaign> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: keys.campaign(ref.userId, ref.campaignId), ConsistentRead: true }),
  );
  return expectAttempt(Item && (withoutKeys(Item) as WorkflowCampaign), ref);
}

/** The campaign header as stored (strongly consistent), whatever its attempt, or 404. */
export async function readCampaign(table: string, userId: string, campaignId: string): Promise<WorkflowCampaign> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.campaign(userId, campaignId), ConsistentRead: true }));
  if (!Item) throw notFound(campaignId);
  return Item as unknown as WorkflowCampaign;
}

interface UpdateParts {
  clauses: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

/**
 * One SET UpdateItem on the campaign header while it is generating this attempt. The version stays:
 * progress and usage are the workflow's bookkeeping, not something a client's If-Match could
 * conflict with. A failed condition names the reason (another attempt, no longer generating).
 */
async function updateGenerating(table: string, ref: AttemptRef, { clauses, names, values }: UpdateParts): Promise<void> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.campaign(ref.userId, ref.campaignId),
        UpdateExpression: `SET ${clauses.join(', ')}`,
        ConditionExpression: '#status = :generating AND attempt = :attempt',
        ExpressionAttributeNames: { ...names, '#status': 'status' },
        ExpressionAttributeValues: { ...values, ':generating': 'generating', ':attempt': ref.attempt },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The condition is exactly these two checks: one of them names the reason.
    expectGenerating(expectAttempt(error.Item && (unmarshall(error.Item) as WorkflowCampaign), ref));
    throw error;
  }
}

/** Replaces the campaign's progress while it is generating this attempt (the version stays). */
export async function recordProgress(table: string, ref: AttemptRef, progress: Progress, now: string): Promise<void> {
  await updateGenerating(table, ref, setExpression({ progress, updatedAt: now }));
}

/**
 * The first task's bookkeeping: a fresh progress for this attempt, and the usage counters created
 * (at 0) if the campaign has none yet, so later tasks can ADD to `usage.<counter>`. Usage adds up
 * over every attempt of the campaign: it is what the campaign cost.
 */
export async function beginProgress(table: string, ref: AttemptRef, progress: Progress, now: string): Promise<void> {
  const set = setExpression({ progress, updatedAt: now });
  await updateGenerating(table, ref, {
    clauses: [...set.clauses, '#usage = if_not_exists(#usage, :zeroUsage)'],
    names: { ...set.names, '#usage': 'usage' },
    values: { ...set.values, ':zeroUsage': ZERO_USAGE },
  });
}

/** Sets some fields of the campaign's progress, leaving the others (e.g. `models`) as they are. */
export async function updateProgress(table: string, ref: AttemptRef, fields: Progress, now: string): Promise<void> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  await updateGenerating(table, ref, {
    clauses: ['updatedAt = :now', ...entries.map((_, i) => `progress.#p${i} = :p${i}`)],
    names: Object.fromEntries(entries.map(([name], i) => [`#p${i}`, name])),
    values: { ':now': now, ...Object.fromEntries(entries.map(([, value], i) => [`:p${i}`, value])) },
  });
}

/**
 * Adds a model to `progress.models` unless it is there: a list (GET /campaigns/{id} shows it as
 * JSON), kept distinct by a `NOT contains` condition, so a concurrent add of the same model loses
 * the race harmlessly.
 */
export async function noteModel(table: string, ref: AttemptRef, model: string): Promise<void> {
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.campaign(ref.userId, ref.campaignId),
      UpdateExpression: 'SET progress.models = list_append(if_not_exists(progress.models, :none), :model)',
      ConditionExpression: 'attribute_exists(progress) AND attempt = :attempt AND NOT contains(progress.models, :name)',
      ExpressionAttributeValues: { ':none': [], ':model': [model], ':name': model, ':attempt': ref.attempt },
    }),
  );
}

const scheduleInputSchema = z.object({
  durationDays: campaignFields.durationDays,
  startDate: campaignFields.startDate,
  platforms: campaignFields.platforms,
  profileSnapshot: z.object({ timeZone: timeZoneSchema }),
  // Learned posting times frozen at start; a malformed value falls back to the platform defaults.
  postingTimes: z.catch(z.optional(z.partialRecord(platformSchema, z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/)))), undefined),
});

/** What the posting calendar is computed from; a header that cannot be planned is InvalidCampaign. */
export function scheduleRequestOf(campaign: WorkflowCampaign): ScheduleRequest {
  const parsed = scheduleInputSchema.safeParse(campaign);
  if (!parsed.success) {
    throw new WorkflowError('InvalidCampaign', `Campaign ${campaign.campaignId} cannot be planned: ${z.prettifyError(parsed.error)}`);
  }
  const { durationDays, startDate, platforms, profileSnapshot, postingTimes } = parsed.data;
  return { durationDays, startDate, platforms, timeZone: profileSnapshot.timeZone, ...(postingTimes && { postingTimes }) };
}

/**
 * Creates one content item per planned post, with its planned topic when given; returns the posts
 * whose item existed already (left as they are). Each is a conditional
 * PutItem that skips an existing item rather than a BatchWriteItem that would overwrite it: content
 * is editable while the campaign is generating, and the calendar is a pure function of the frozen
 * header, so an item that exists already is this very post, possibly edited or approved since.
 * N requests, WRITE_CONCURRENCY at a time.
 */
export async function createPlannedContent<P extends PlannedPost>(
  table: string,
  ref: AttemptRef,
  posts: readonly P[],
  topicOf: (post: P) => Pick<ContentItem, 'pillar' | 'topic' | 'angle'> | undefined,
  now: string,
): Promise<P[]> {
  const created = await mapLimited(posts, WRITE_CONCURRENCY, async (post) => {
    const item: ContentItem = {
      ...topicOf(post),
      campaignId: ref.campaignId,
      day: post.day,
      platform: post.platform,
      date: post.date,
      localTime: post.localTime,
      dueAt: post.dueAt,
      format: post.format,
      approval: { state: 'pending' },
      version: 1,
      revisions: [],
      updatedAt: now,
    };
    return conditionalWrite(
      new PutCommand({
        TableName: table,
        Item: { ...keys.content(ref.userId, ref.campaignId, post.day, post.platform), ...item },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  });
  return posts.filter((_, i) => !created[i]);
}

/** Stores (replaces) one agent's output; GET /campaigns/{id} shows it under `outputs[agent]`. */
export async function saveAgentOutput(table: string, ref: AttemptRef, agent: string, output: unknown, now: string): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.agentOutput(ref.userId, ref.campaignId, agent), agent, output, attempt: ref.attempt, updatedAt: now },
    }),
  );
}

/**
 * A week is ready: its posts written, critiqued and illustrated. Each of its content items gets
 * `readyAt` and its due-index entry (GSI1: day and shard, time and post), so the posting trigger
 * reminds or publishes it, then the week joins `progress.weeksReady` (a list kept distinct by a
 * `NOT contains` condition, so a retried task adds it once). Returns the week's posts. In re-plan
 * `replan`, only the posts that re-plan rewrote.
 */
export async function markWeekReady(table: string, ref: AttemptRef, week: number, now: string, replan?: number): Promise<number> {
  const { userId, campaignId } = ref;
  const range = keys.contentDayRange(campaignId, week * 7 - 6, week * 7);
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':from': range.from, ':to': range.to },
      ProjectionExpression: 'PK, SK, platform, dueAt, readyAt, replan',
      ConsistentRead: true,
    },
  );
  // A re-plan indexes only the posts it rewrote: the others are indexed (or posted) already.
  for await (const page of pages) items.push(...(page.Items ?? []).filter((item) => replan === undefined || item.replan === replan));

  await mapLimited(items, WRITE_CONCURRENCY, async ({ PK, SK, platform, dueAt, readyAt }) => {
    const entry = dueIndexEntry(String(dueAt), userId, campaignId, String(platform));
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: { PK, SK },
        UpdateExpression: 'SET GSI1PK = :duePk, GSI1SK = :dueSk, readyAt = :readyAt',
        // Never recreate an item that is gone as a bare index entry.
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: {
          ':duePk': entry.GSI1PK,
          ':dueSk': entry.GSI1SK,
          ':readyAt': readyAt ?? now,
        },
      }),
    );
  });
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      UpdateExpression: 'SET progress.weeksReady = list_append(if_not_exists(progress.weeksReady, :none), :week), updatedAt = :now',
      ConditionExpression: 'attribute_exists(progress) AND attempt = :attempt AND NOT contains(progress.weeksReady, :number)',
      ExpressionAttributeValues: { ':none': [], ':week': [week], ':number': week, ':attempt': ref.attempt, ':now': now },
    }),
  );
  return items.length;
}

/**
 * Marks this attempt's campaign failed, conditional on the version read (so on this attempt still
 * generating). Returns why nothing was recorded when the campaign is gone, belongs to another
 * attempt or is no longer generating: then there is nothing to mark, and a new error here would
 * hide the original one.
 */
export async function recordFailure(table: string, ref: AttemptRef, failure: Failure): Promise<string | undefined> {
  try {
    const campaign = expectGenerating(await readAttempt(table, ref));
    await applyTransition(table, ref.userId, ref.campaignId, 'fail', {
      expectedVersion: campaign.version,
      set: { failure },
      now: failure.at,
    });
    return undefined;
  } catch (error) {
    if (error instanceof WorkflowError || error instanceof DomainError) return error.message;
    throw error;
  }
}
