import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from '../schemas/zod';
import { allowedActions } from '../domain/campaign-status';
import type { CampaignStatus } from '../schemas/vocabulary';
import { contentChanges, type ContentRecord } from '../domain/content';
import { DomainError } from '../core/errors';
import { decodeCursor, encodeCursor } from './cursor';
import type { Platform } from '../schemas/common';
import type { ContentPatch, contentPathSchema } from '../schemas/content';
import { campaignInStatus, notFound } from './campaign-store';
import { dynamo } from './client';
import { setExpression, withoutKeys } from './expressions';
import { keys } from './keys';

/** `{ id, day, platform }`: the campaign id, the day and the platform of one content item. */
export type ContentPath = z.infer<typeof contentPathSchema>;

/** Days a campaign may have: the key design pads days to two digits. */
const FIRST_DAY = 1;
const LAST_DAY = 99;

const contentNotFound = ({ id, day, platform }: ContentPath) =>
  new DomainError('CONTENT_NOT_FOUND', `No content for day ${day} on ${platform} in campaign ${id}`);

const staleVersion = (currentVersion: number, expectedVersion: number) =>
  new DomainError('PRECONDITION_FAILED', `The content item is at version ${currentVersion}, not ${expectedVersion}`, { currentVersion });

export interface ListContentOptions {
  fromDay?: number;
  toDay?: number;
  platform?: Platform;
  limit: number;
  cursor?: string;
}

/**
 * One Query per page, over `SK BETWEEN CAMP#<cid> AND CAMP#<cid>#DAY#<toDay>#~`. The range starts
 * at the campaign header, which sorts before everything of its campaign, so the first page proves
 * the campaign exists (404 otherwise) in the same request; the header is not returned.
 *
 * DynamoDB's Limit counts the items read before the filter, and on the first page the header, the
 * agent outputs and the days before `fromDay` precede the content; a platform filter skips items on
 * any page. A Limit there would make short or even empty pages, so those pages read up to
 * DynamoDB's 1 MB within the requested days and are trimmed to `limit`, the cursor then being the
 * last item returned. Later pages without a platform filter return every item they read: they
 * read exactly `limit`.
 */
export async function listContent(table: string, userId: string, campaignId: string, options: ListContentOptions) {
  const headerSk = keys.campaignSk(campaignId);
  const fromDay = options.fromDay ?? FIRST_DAY;
  const range = { from: headerSk, to: keys.contentDayRange(campaignId, fromDay, options.toDay ?? LAST_DAY).to };
  const startKey = pageStart(options.cursor, userId, range);
  const { platform, limit } = options;
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      // A filter cannot name the table's key attributes: the header is recognised by its campaign-list key.
      FilterExpression: `GSI1PK = :campaignList OR (#day >= :fromDay${platform ? ' AND #platform = :platform' : ''})`,
      ExpressionAttributeNames: { '#day': 'day', ...(platform && { '#platform': 'platform' }) },
      ExpressionAttributeValues: {
        ':pk': keys.userPk(userId),
        ':from': range.from,
        ':to': range.to,
        ':campaignList': keys.campaignListPk(userId),
        ':fromDay': fromDay,
        ...(platform && { ':platform': platform }),
      },
      Limit: startKey && !platform ? limit : undefined,
      ExclusiveStartKey: startKey,
    }),
  );
  const items = page.Items ?? [];
  if (!startKey && items[0]?.SK !== headerSk) throw notFound(campaignId);
  const content = items.filter((item) => item.SK !== headerSk);
  const shown = content.slice(0, limit);
  const lastKey = content.length > limit ? { PK: shown[limit - 1].PK, SK: shown[limit - 1].SK } : page.LastEvaluatedKey;
  return {
    items: shown.map((item) => withoutKeys(item) as unknown as ContentRecord),
    nextCursor: encodeCursor(lastKey),
  };
}

/**
 * The cursor's key, accepted only inside this list's key range: DynamoDB rejects a start key
 * outside the range with a ValidationException, which must not surface as a 500.
 */
function pageStart(cursor: string | undefined, userId: string, range: { from: string; to: string }) {
  const key = decodeCursor(cursor, { PK: keys.userPk(userId) });
  if (key === undefined) return undefined;
  const inRange = Object.keys(key).length === 2 && typeof key.SK === 'string' && key.SK >= range.from && key.SK <= range.to;
  if (!inRange) throw new DomainError('INVALID_CURSOR', 'The cursor does not belong to this list');
  return key;
}

/** Strongly consistent: an editor reads back its own PATCH, and an edit starts from the latest version. */
export async function getContent(table: string, userId: string, path: ContentPath): Promise<ContentRecord> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: keys.content(userId, path.id, path.day, path.platform), ConsistentRead: true }),
  );
  if (!Item) throw contentNotFound(path);
  return withoutKeys(Item) as unknown as ContentRecord;
}

export interface ContentUpdate {
  patch: ContentPatch;
  /** The version from If-Match; another stored version is a 412. */
  expectedVersion?: number;
  now: string;
}

/**
 * Read, apply the patch, then one transaction: a ConditionCheck that the campaign's status allows
 * `editContent` and an Update conditional on the version that was read, so a concurrent edit is
 * never overwritten and a campaign that completed in between is never edited. The Update sets
 * only the changed attributes; whatever else the workflow stores on the item is left alone.
 */
export async function updateContent(table: string, userId: string, path: ContentPath, update: ContentUpdate): Promise<ContentRecord> {
  const current = await getContent(table, userId, path);
  if (update.expectedVersion !== undefined && current.version !== update.expectedVersion) {
    throw staleVersion(current.version, update.expectedVersion);
  }
  const changes = contentChanges(current, update.patch, update.now);
  const set = setExpression(changes);
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          campaignInStatus(table, userId, path.id, 'editContent'),
          {
            Update: {
              TableName: table,
              Key: keys.content(userId, path.id, path.day, path.platform),
              UpdateExpression: `SET ${set.clauses.join(', ')}`,
              ConditionExpression: 'version = :read',
              ExpressionAttributeNames: set.names,
              ExpressionAttributeValues: { ...set.values, ':read': current.version },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw rejection(error, path, update.expectedVersion);
    throw error;
  }
  return { ...current, ...changes };
}

/** Why the edit transaction was cancelled, from the items as they were (the campaign's state first). */
function rejection(error: TransactionCanceledException, path: ContentPath, expectedVersion: number | undefined): Error {
  const [campaignCheck, contentUpdate] = error.CancellationReasons ?? [];
  if (campaignCheck?.Code === 'ConditionalCheckFailed') {
    if (!campaignCheck.Item) return contentNotFound(path);
    const status = unmarshall(campaignCheck.Item).status as CampaignStatus;
    return new DomainError('CAMPAIGN_STATE_CONFLICT', `Content cannot be edited while the campaign is ${status}`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  if (contentUpdate?.Code === 'ConditionalCheckFailed') {
    if (!contentUpdate.Item) return contentNotFound(path);
    const currentVersion = Number(unmarshall(contentUpdate.Item).version);
    if (expectedVersion !== undefined) return staleVersion(currentVersion, expectedVersion);
    return new DomainError(
      'CAMPAIGN_STATE_CONFLICT',
      `Another edit of this content item came first (now version ${currentVersion}); read it again and retry`,
      {
        currentVersion,
      },
    );
  }
  if (error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) {
    return new DomainError('CAMPAIGN_STATE_CONFLICT', 'This content item or its campaign is being changed right now; retry');
  }
  return error;
}
