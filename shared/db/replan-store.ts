import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DomainError } from '../core/errors';
import type { SlotArms } from '../domain/replan';
import type { ReplanChange, ReplanSummary } from '../schemas/replan';
import { applyTransition, type CampaignRecord } from './campaign-store';
import { dynamo } from './client';
import { mapLimited } from './concurrency';
import { decodeCursor, encodeCursor } from './cursor';
import { dueIndexEntry, keys } from './keys';
import { conditionalWrite } from './put-once';

/**
 * A campaign's re-plans: the header's `replanCount` (the latest n) and `replanning` (the running
 * one's n and lease), one item per re-plan (status, reason, dates) and one per changed post
 * (before, after, why), so a diff of any size pages (90 days × 8 platforms is 720 changes).
 */

/** The header's mark of a running re-plan; past `leaseUntil` it no longer blocks the next one. */
export interface Replanning {
  n: number;
  leaseUntil: string;
}

const WRITE_CONCURRENCY = 10;

export const replanningOf = (campaign: Record<string, unknown>) => campaign.replanning as Replanning | undefined;

/**
 * Records re-plan n = replanCount + 1 as running, on the campaign version read: one conditional
 * update of the header (in_progress, no re-plan running within its lease), then its own item.
 * 409 CAMPAIGN_STATE_CONFLICT when the campaign is not in_progress, 409 REPLAN_RUNNING while
 * another re-plan runs, 412 when the header moved since the read.
 */
export async function beginReplan(
  table: string,
  campaign: CampaignRecord,
  replan: { reason?: string; leaseUntil: string; now: string },
): Promise<{ n: number; campaign: CampaignRecord }> {
  const n = Number(campaign.replanCount ?? 0) + 1;
  const updated = await applyTransition(table, campaign.userId, campaign.campaignId, 'replan', {
    expectedVersion: campaign.version,
    set: { replanCount: n, replanning: { n, leaseUntil: replan.leaseUntil } satisfies Replanning },
    require: {
      condition: 'attribute_not_exists(#replanning) OR #replanning.leaseUntil < :now',
      names: { '#replanning': 'replanning' },
      failure: (current) => {
        const running = replanningOf(current);
        return running && running.leaseUntil >= replan.now
          ? new DomainError('REPLAN_RUNNING', `Re-plan ${running.n} of this campaign is still running`, { n: running.n })
          : undefined;
      },
    },
    now: replan.now,
  });
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.replan(campaign.userId, campaign.campaignId, n),
        n,
        status: 'running',
        ...(replan.reason && { reason: replan.reason }),
        requestedAt: replan.now,
        leaseUntil: replan.leaseUntil,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return { n, campaign: updated };
}

/** A re-plan that could not start (its execution refused): failed at once, the header free again. */
export async function finishReplan(
  table: string,
  ref: { userId: string; campaignId: string },
  n: number,
  outcome: { status: 'succeeded' | 'failed'; changed?: number; failure?: { code: string; message: string }; now: string },
): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.replan(ref.userId, ref.campaignId, n),
        UpdateExpression: `SET #status = :status, finishedAt = :now${outcome.changed !== undefined ? ', changed = :changed' : ''}${outcome.failure ? ', failure = :failure' : ''}`,
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':running': 'running',
          ':now': outcome.now,
          ...(outcome.changed !== undefined && { ':changed': outcome.changed }),
          ...(outcome.failure && { ':failure': outcome.failure }),
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.campaign(ref.userId, ref.campaignId),
        UpdateExpression: 'REMOVE replanning',
        ConditionExpression: 'replanning.n = :n',
        ExpressionAttributeValues: { ':n': n },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  return true;
}

/** The number of posts the re-plan's planner chose to rewrite. */
export async function recordReplanChanged(table: string, ref: { userId: string; campaignId: string }, n: number, changed: number) {
  await dynamo.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.replan(ref.userId, ref.campaignId, n),
      UpdateExpression: 'SET changed = :changed',
      ExpressionAttributeValues: { ':changed': changed },
    }),
  );
}

/** A stored re-plan as the API shows it: running past its lease reads as failed with TIMEOUT. */
function summaryOf(item: Record<string, unknown>, now: string): ReplanSummary {
  const summary: ReplanSummary = {
    n: Number(item.n),
    status: item.status as ReplanSummary['status'],
    ...(typeof item.reason === 'string' && { reason: item.reason }),
    requestedAt: String(item.requestedAt),
    ...(typeof item.finishedAt === 'string' && { finishedAt: item.finishedAt }),
    ...(item.changed !== undefined && { changed: Number(item.changed) }),
    ...(item.failure !== undefined && { failure: item.failure as { code: string; message: string } }),
  };
  if (summary.status === 'running' && String(item.leaseUntil) < now) {
    return {
      ...summary,
      status: 'failed',
      finishedAt: String(item.leaseUntil),
      failure: { code: 'TIMEOUT', message: 'The re-plan did not finish before its deadline; start a new one' },
    };
  }
  return summary;
}

export async function getReplan(table: string, userId: string, campaignId: string, n: number, now: string): Promise<ReplanSummary> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.replan(userId, campaignId, n), ConsistentRead: true }));
  if (!Item) throw new DomainError('REPLAN_NOT_FOUND', `Campaign ${campaignId} has no re-plan ${n}`);
  return summaryOf(Item, now);
}

/** Every re-plan of a campaign, newest first (one item each; a campaign has a handful). */
export async function listReplans(table: string, userId: string, campaignId: string, now: string): Promise<ReplanSummary[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.replanSkPrefix(campaignId) },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((item) => summaryOf(item, now));
}

/** What the planner stage records per changed post before the writer runs; `after` gets the new text at Finalize. */
export interface StoredChange {
  day: number;
  platform: string;
  scheduledFor: string;
  before: { title?: string; hook?: string; arms: SlotArms };
  after: { title?: string; hook?: string; arms: SlotArms };
  why: string;
}

export async function putReplanChanges(
  table: string,
  ref: { userId: string; campaignId: string },
  n: number,
  changes: readonly StoredChange[],
) {
  await mapLimited(changes, WRITE_CONCURRENCY, (change) =>
    dynamo.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.replanChange(ref.userId, ref.campaignId, n, change.day, change.platform), ...change },
      }),
    ),
  );
}

/** Sets the rewritten title and hook of each changed post on its change item. */
export async function completeReplanChanges(
  table: string,
  ref: { userId: string; campaignId: string },
  n: number,
  after: readonly { day: number; platform: string; title?: string; hook?: string }[],
) {
  await mapLimited(after, WRITE_CONCURRENCY, ({ day, platform, title, hook }) =>
    dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.replanChange(ref.userId, ref.campaignId, n, day, platform),
        UpdateExpression: 'SET #after.title = :title, #after.hook = :hook',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#after': 'after' },
        ExpressionAttributeValues: { ':title': title ?? '', ':hook': hook ?? '' },
      }),
    ),
  );
}

/** One page of a re-plan's changes in day order. */
export async function replanChangesPage(
  table: string,
  ref: { userId: string; campaignId: string },
  n: number,
  options: { limit: number; cursor?: string },
): Promise<{ changes: ReplanChange[]; nextCursor?: string }> {
  const pk = keys.userPk(ref.userId);
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.replanChangeSkPrefix(ref.campaignId, n) },
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { PK: pk }),
    }),
  );
  const changes = (page.Items ?? []).map((item) => {
    const change = item as unknown as StoredChange;
    return {
      contentId: `${change.day}#${change.platform}`,
      day: change.day,
      platform: change.platform,
      scheduledFor: change.scheduledFor,
      before: change.before,
      after: change.after,
      why: change.why,
    } as ReplanChange;
  });
  return { changes, nextCursor: encodeCursor(page.LastEvaluatedKey) };
}

/** What a re-plan records of a post before it changes it (`replanBefore`), so a re-run proposes from the same arms. */
export interface ReplanBefore {
  title?: string;
  hook?: string;
  arms: SlotArms;
  localTime: string;
  dueAt: string;
}

/**
 * The post's new arms and time, `replan: n` (the writer, critic and thumbnail stages work on these
 * only), its `before`, and out of the due index and not ready until its week is ready again. Only
 * while it is still open (a creator's approval, edit or post since the read wins): false then.
 */
export async function markForRewrite(
  table: string,
  ref: { userId: string; campaignId: string },
  item: { day: number; platform: string },
  change: SlotArms & { localTime: string; dueAt: string; before: ReplanBefore; n: number },
): Promise<boolean> {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.content(ref.userId, ref.campaignId, item.day, item.platform),
        UpdateExpression:
          'SET #pillar = :pillar, #format = :format, #localTime = :localTime, #dueAt = :dueAt, #replan = :n, #before = :before REMOVE GSI1PK, GSI1SK, #readyAt, #critique',
        ConditionExpression:
          'attribute_exists(PK) AND #version = :generated AND attribute_not_exists(#postStatus) AND #approval.#state <> :approved',
        // Every name through a placeholder: several are DynamoDB reserved words.
        ExpressionAttributeNames: {
          '#pillar': 'pillar',
          '#format': 'format',
          '#localTime': 'localTime',
          '#dueAt': 'dueAt',
          '#replan': 'replan',
          '#before': 'replanBefore',
          '#readyAt': 'readyAt',
          '#critique': 'critique',
          '#state': 'state',
          '#version': 'version',
          '#postStatus': 'postStatus',
          '#approval': 'approval',
        },
        ExpressionAttributeValues: {
          ':pillar': change.pillar,
          ':format': change.format,
          ':localTime': change.localTime,
          ':dueAt': change.dueAt,
          ':n': change.n,
          ':before': change.before,
          ':generated': 1,
          ':approved': 'approved',
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * A failed re-plan's post its writer never rewrote: its pillar, format, time and due-index entry
 * back as they were before re-plan `n`, no longer marked, ready, and out of the re-plan's diff.
 * Only while `n` still marks it; false otherwise.
 */
export async function revertReplanMark(
  table: string,
  ref: { userId: string; campaignId: string },
  item: { day: number; platform: string },
  before: ReplanBefore,
  n: number,
  now: string,
): Promise<boolean> {
  const entry = dueIndexEntry(before.dueAt, ref.userId, ref.campaignId, item.platform);
  const reverted = await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.content(ref.userId, ref.campaignId, item.day, item.platform),
      UpdateExpression:
        'SET #format = :format, #localTime = :localTime, #dueAt = :dueAt, GSI1PK = :duePk, GSI1SK = :dueSk, #readyAt = :now' +
        (before.arms.pillar ? ', #pillar = :pillar REMOVE #replan, #before' : ' REMOVE #pillar, #replan, #before'),
      ConditionExpression: '#replan = :n',
      ExpressionAttributeNames: {
        '#pillar': 'pillar',
        '#format': 'format',
        '#localTime': 'localTime',
        '#dueAt': 'dueAt',
        '#readyAt': 'readyAt',
        '#replan': 'replan',
        '#before': 'replanBefore',
      },
      ExpressionAttributeValues: {
        ...(before.arms.pillar && { ':pillar': before.arms.pillar }),
        ':format': before.arms.format,
        ':localTime': before.localTime,
        ':dueAt': before.dueAt,
        ':duePk': entry.GSI1PK,
        ':dueSk': entry.GSI1SK,
        ':now': now,
        ':n': n,
      },
    }),
  );
  if (reverted)
    await dynamo.send(
      new DeleteCommand({ TableName: table, Key: keys.replanChange(ref.userId, ref.campaignId, n, item.day, item.platform) }),
    );
  return reverted;
}
