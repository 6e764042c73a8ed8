import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { acceptsExpiredLease, allowedActions, transitions, withCampaignLease, type CampaignAction } from '../domain/campaign-status';
import type { Campaign } from '../schemas/campaign';
import type { CampaignStatus } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { outputOf } from './agent-output-store';
import { deleteKeys } from './batch-delete';
import { dynamo } from './client';
import { setExpression, withoutKeys } from './expressions';
import { keys, RANGE_END } from './keys';

export type CampaignRecord = Campaign & { userId: string } & Record<string, unknown>;

export const notFound = (campaignId: string) => new DomainError('CAMPAIGN_NOT_FOUND', `No campaign ${campaignId}`);

/**
 * The condition that the campaign's status is one `action` may start from, at `now`: for actions
 * allowed from `failed`, a `generating` campaign past its lease qualifies too (shared/domain/campaign-status.ts).
 */
export function statusCondition(
  action: CampaignAction,
  now: string,
): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const values: Record<string, unknown> = Object.fromEntries(transitions[action].from.map((status, i) => [`:from${i}`, status]));
  const inStatus = `#status IN (${Object.keys(values).join(', ')})`;
  if (!acceptsExpiredLease(action)) return { expression: inStatus, names: { '#status': 'status' }, values };
  return {
    expression: `(${inStatus} OR (#status = :leased AND #execution.leaseUntil < :leaseNow))`,
    names: { '#status': 'status', '#execution': 'execution' },
    values: { ...values, ':leased': 'generating', ':leaseNow': now },
  };
}

/**
 * A transaction item that holds only while the campaign's status is one an action may start from,
 * for writes to a campaign's other items that depend on the campaign's state.
 */
export function campaignInStatus(
  table: string,
  userId: string,
  campaignId: string,
  action: CampaignAction,
  now = new Date().toISOString(),
) {
  const condition = statusCondition(action, now);
  return {
    ConditionCheck: {
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: condition.names,
      ExpressionAttributeValues: condition.values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
}

/** One campaign header (consistent read unless `consistent` is false), or 404. */
export async function getCampaignRecord(table: string, userId: string, campaignId: string, consistent = true): Promise<CampaignRecord> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: keys.campaign(userId, campaignId), ...(consistent && { ConsistentRead: true }) }),
  );
  if (!Item) throw notFound(campaignId);
  return withoutKeys(Item) as CampaignRecord;
}

export async function createCampaign(table: string, userId: string, campaignId: string, name: string | undefined, now: string) {
  const campaign: CampaignRecord = {
    userId,
    campaignId,
    ...(name ? { name } : {}),
    status: 'onboarding_incomplete',
    version: 1,
    attempt: 0,
    createdAt: now,
    updatedAt: now,
  };
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...keys.campaign(userId, campaignId),
        GSI1PK: keys.campaignListPk(userId),
        GSI1SK: keys.campaignListSk(now, campaignId),
        ...campaign,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  return campaign;
}

export interface TransitionRequest {
  /** Attributes to set along with the status change. */
  set?: Record<string, unknown>;
  /** Attributes to remove (e.g. a previous failure on retry). */
  remove?: string[];
  /** The version the caller last saw (If-Match); a different stored version is a 412. */
  expectedVersion?: number;
  /** Extra condition that must hold (e.g. required fields present), with the error to raise when it does not. */
  require?: { condition: string; names: Record<string, string>; failure: (current: CampaignRecord) => DomainError | undefined };
  now: string;
}

/**
 * Applies one action of the status machine as a single conditional UpdateItem: allowed current
 * status (+ version, + extra requirement) → new status, version + 1. On a failed condition the
 * stored item comes back with the error (ReturnValuesOnConditionCheckFailure), so the 404 / 409 /
 * 412 is decided without a second read.
 */
export async function applyTransition(
  table: string,
  userId: string,
  campaignId: string,
  action: CampaignAction,
  request: TransitionRequest,
): Promise<CampaignRecord> {
  const { to } = transitions[action] as { to?: CampaignStatus };
  const status = statusCondition(action, request.now);
  const set = setExpression({ ...request.set, ...(to ? { status: to } : {}) });
  const removed = request.remove ?? [];
  const removeNames = Object.fromEntries(removed.map((name, i) => [`#rm${i}`, name]));
  const conditions = ['attribute_exists(PK)', status.expression];
  if (request.expectedVersion !== undefined) conditions.push('version = :expected');
  if (request.require) conditions.push(`(${request.require.condition})`);
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.campaign(userId, campaignId),
        UpdateExpression:
          `SET ${[...set.clauses, 'updatedAt = :now', 'version = version + :one'].join(', ')}` +
          (removed.length ? ` REMOVE ${Object.keys(removeNames).join(', ')}` : ''),
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { ...set.names, ...removeNames, ...request.require?.names, ...status.names },
        ExpressionAttributeValues: {
          ...set.values,
          ...status.values,
          ':now': request.now,
          ':one': 1,
          ...(request.expectedVersion !== undefined ? { ':expected': request.expectedVersion } : {}),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return withoutKeys(Attributes ?? {}) as unknown as CampaignRecord;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = error.Item ? (unmarshall(error.Item) as CampaignRecord) : undefined;
    throw rejection(campaignId, action, current, request);
  }
}

/** Why a conditional transition did not apply, from the item as it was. */
function rejection(campaignId: string, action: CampaignAction, current: CampaignRecord | undefined, request: TransitionRequest) {
  if (!current) return notFound(campaignId);
  const { status } = withCampaignLease(current, request.now);
  if (!(transitions[action].from as readonly CampaignStatus[]).includes(status)) {
    return new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot ${action} a campaign that is ${status}`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  if (request.expectedVersion !== undefined && current.version !== request.expectedVersion) {
    return new DomainError('PRECONDITION_FAILED', `The campaign is at version ${current.version}, not ${request.expectedVersion}`, {
      currentVersion: current.version,
    });
  }
  return request.require?.failure(current) ?? new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot ${action} this campaign now`);
}

/** The header and every agent output of a campaign in one Query (content items sort after them). */
/**
 * The campaign header and its campaign-wide agent outputs (by agent name) in one Query; an output
 * stored in the media bucket behind a pointer is read from `bucket`.
 */
export async function getCampaignWithOutputs(table: string, bucket: string, userId: string, campaignId: string) {
  const campaignSk = keys.campaignSk(campaignId);
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.userPk(userId),
        ':from': campaignSk,
        ':to': `${keys.agentOutput(userId, campaignId, '').SK}${RANGE_END}`,
      },
    }),
  );
  const header = Items.find((item) => item.SK === campaignSk);
  if (!header) throw notFound(campaignId);
  const outputs = Object.fromEntries(
    await Promise.all(Items.filter((item) => item !== header).map(async (item) => [String(item.agent), await outputOf(item, bucket)])),
  );
  return { campaign: withoutKeys(header) as unknown as CampaignRecord, outputs };
}

/** The list's status filter as campaigns read at `now`: a generating campaign past its lease is failed. */
function statusFilter(status: CampaignStatus, now: string) {
  const names = { '#status': 'status', '#execution': 'execution' };
  const values = { ':status': status, ':generating': 'generating', ':now': now };
  if (status === 'generating')
    return { expression: '#status = :status AND NOT #execution.leaseUntil < :now', names, values: { ':status': status, ':now': now } };
  if (status === 'failed')
    return { expression: '#status = :status OR (#status = :generating AND #execution.leaseUntil < :now)', names, values };
  return { expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': status } };
}

export async function listCampaigns(table: string, userId: string, options: { limit: number; cursor?: string; status?: CampaignStatus }) {
  const listPk = keys.campaignListPk(userId);
  const filter = options.status && statusFilter(options.status, new Date().toISOString());
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ...(filter && { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names }),
      ExpressionAttributeValues: { ':pk': listPk, ...filter?.values },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { GSI1PK: listPk, PK: keys.userPk(userId) }),
    }),
  );
  return {
    campaigns: (page.Items ?? []).map((item) => withoutKeys(item) as unknown as CampaignRecord),
    nextCursor: encodeCursor(page.LastEvaluatedKey),
  };
}

/** Every page of a Query; used where a whole collection is needed (delete, stats). */
async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

const collectionQuery = (table: string, userId: string, campaignId: string): QueryCommandInput => ({
  TableName: table,
  KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
  ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.campaignSk(campaignId) },
});

/** The attributes stats need from every item of a campaign (header, content, executions). */
export async function campaignStatsItems(table: string, userId: string, campaignId: string) {
  const items = await queryAll({
    ...collectionQuery(table, userId, campaignId),
    ProjectionExpression: 'SK, #status, #usage, estimate, approval, posted, #metrics, #day, #platform, postedAt',
    ExpressionAttributeNames: { '#status': 'status', '#usage': 'usage', '#metrics': 'metrics', '#day': 'day', '#platform': 'platform' },
  });
  const header = items.find((item) => item.SK === keys.campaignSk(campaignId));
  if (!header) throw notFound(campaignId);
  const ofKind = (prefix: string) => items.filter((item) => String(item.SK).startsWith(prefix));
  return {
    header,
    content: ofKind(keys.contentSkPrefix(campaignId)),
    executions: ofKind(keys.executionSkPrefix(campaignId)),
  };
}

/**
 * Removes every item of the campaign, the header last: an interrupted delete leaves the header,
 * so repeating the DELETE finishes the job (once it is gone, the campaign is a 404).
 */
export async function deleteCampaignItems(table: string, userId: string, campaignId: string): Promise<number> {
  const items = await queryAll({ ...collectionQuery(table, userId, campaignId), ProjectionExpression: 'PK, SK' });
  const headerSk = keys.campaignSk(campaignId);
  await deleteKeys(
    table,
    items.filter((item) => item.SK !== headerSk),
  );
  await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.campaign(userId, campaignId) }));
  return items.length;
}
