import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { campaignTimeZone } from '../domain/campaign';
import { allowedActions } from '../domain/campaign-status';
import type { CampaignStatus } from '../schemas/vocabulary';
import type { ContentRecord } from '../domain/content';
import { nextExecution, withMetricsReports, type RunningCampaign, type StoredPostStatus } from '../domain/execution';
import { DomainError, ValidationError } from '../core/errors';
import type { Platform } from '../schemas/common';
import type { ConfirmDay, MetricsReport, PostExecution } from '../schemas/execution';
import { campaignInStatus, notFound } from './campaign-store';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { executionItem } from './platform-import-store';

/**
 * Execution of a campaign's plan: the schedule read and the confirmations of posts
 * (`CAMP#<cid>#EXEC#<dd>#<platform>`, beside the content item of the same day and platform).
 */

export type ScheduledContent = ContentRecord & { postStatus?: StoredPostStatus };

/**
 * The campaign header as execution needs it. Only a started campaign has a plan: before start
 * there is no frozen time zone, and the schedule is a 409.
 */
export async function readRunningCampaign(table: string, userId: string, campaignId: string): Promise<RunningCampaign> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.campaign(userId, campaignId), ConsistentRead: true }));
  if (!Item) throw notFound(campaignId);
  const timeZone = campaignTimeZone(Item);
  const status = Item.status as CampaignStatus;
  if (!timeZone || !Item.startDate || !Item.durationDays || !Item.platforms) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `The campaign has no plan yet (it is ${status})`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  return {
    campaignId,
    ...(typeof Item.name === 'string' && { name: Item.name }),
    status,
    startDate: String(Item.startDate),
    durationDays: Number(Item.durationDays),
    platforms: Item.platforms as RunningCampaign['platforms'],
    timeZone,
  };
}

/** The content items of campaign days `fromDay`–`toDay`, every page (a day range of one campaign is small). */
export async function scheduledContent(
  table: string,
  userId: string,
  campaignId: string,
  fromDay: number,
  toDay: number,
): Promise<ScheduledContent[]> {
  if (toDay < fromDay) return [];
  const range = keys.contentDayRange(campaignId, fromDay, toDay);
  const items: ScheduledContent[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':from': range.from, ':to': range.to },
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []).map((item) => withoutKeys(item) as unknown as ScheduledContent));
  return items;
}

/** The whole plan of a started campaign in posting order, for the calendar exports. */
export async function wholeSchedule(table: string, userId: string, campaignId: string) {
  const campaign = await readRunningCampaign(table, userId, campaignId);
  const posts = await scheduledContent(table, userId, campaignId, 1, campaign.durationDays);
  return { campaign, posts: posts.sort((a, b) => a.dueAt.localeCompare(b.dueAt)) };
}

/** Every confirmation of a campaign, every page. */
export async function campaignExecutions(table: string, userId: string, campaignId: string): Promise<PostExecution[]> {
  const items: PostExecution[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.executionSkPrefix(campaignId) },
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []).map((item) => withoutKeys(item) as unknown as PostExecution));
  return items;
}

const postNotPlanned = (body: ConfirmDay) =>
  new DomainError('CONTENT_NOT_FOUND', `No post is planned on day ${body.day} on ${body.platform}`, {
    day: body.day,
    platform: body.platform,
  });

/**
 * Upserts the confirmation of one post in one transaction, so nothing is half-written:
 * - the campaign is still `in_progress` (ConditionCheck);
 * - the content item exists (a planned post) and gets its status `posted`/`skipped`; it leaves the
 *   due-post index, so the posting trigger no longer reminds the creator of it;
 * - the execution item is written conditional on the version that was read, so two concurrent
 *   reports never lose one another's history.
 */
export async function confirmPost(
  table: string,
  userId: string,
  campaign: RunningCampaign,
  body: ConfirmDay,
  now: string,
): Promise<PostExecution> {
  const contentKey = keys.content(userId, campaign.campaignId, body.day, body.platform);
  const executionKey = keys.execution(userId, campaign.campaignId, body.day, body.platform);
  const [content, previous] = await Promise.all(
    [contentKey, executionKey].map(
      async (Key) => (await dynamo.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }))).Item,
    ),
  );
  if (!content) throw postNotPlanned(body);
  const execution = nextExecution(previous && (withoutKeys(previous) as unknown as PostExecution), body, content as ContentRecord, now);
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          campaignInStatus(table, userId, campaign.campaignId, 'confirmPost'),
          {
            Update: {
              TableName: table,
              Key: contentKey,
              UpdateExpression: 'SET postStatus = :status, updatedAt = :now REMOVE GSI1PK, GSI1SK',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':status': execution.status, ':now': now },
            },
          },
          {
            Put: {
              TableName: table,
              Item: executionItem(userId, execution),
              ConditionExpression: previous ? 'version = :read' : 'attribute_not_exists(PK)',
              ...(previous && { ExpressionAttributeValues: { ':read': previous.version } }),
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw rejection(error, campaign.campaignId, body);
    throw error;
  }
  return execution;
}

function rejection(error: TransactionCanceledException, campaignId: string, body: ConfirmDay): Error {
  const [campaignCheck, contentUpdate, executionPut] = error.CancellationReasons ?? [];
  if (campaignCheck?.Code === 'ConditionalCheckFailed') {
    const status = campaignCheck.Item ? (unmarshall(campaignCheck.Item).status as CampaignStatus) : undefined;
    if (!status) return notFound(campaignId);
    return new DomainError('CAMPAIGN_STATE_CONFLICT', `Posts are confirmed only while the campaign is in_progress, not ${status}`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  if (contentUpdate?.Code === 'ConditionalCheckFailed') return postNotPlanned(body);
  if (
    executionPut?.Code === 'ConditionalCheckFailed' ||
    error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')
  ) {
    return new DomainError('CAMPAIGN_STATE_CONFLICT', 'Another confirmation of this post came first; send it again');
  }
  return error;
}

/** DynamoDB's limit of actions in one transaction. */
export const MAX_POSTS_PER_APPEND = 100;

/**
 * Appends metrics reports to posted posts, all or nothing: one transaction of conditional writes,
 * each on the version read, so a concurrent confirmation makes the whole append fail (409, send
 * again) rather than half apply. A post without a posted execution is a 404 naming it. The
 * current metrics become the newest report by `reportedAt` (shared/domain/execution.ts).
 */
export async function appendMetricsReports(
  table: string,
  userId: string,
  campaignId: string,
  reports: Array<{ day: number; platform: Platform; report: MetricsReport }>,
  now = new Date().toISOString(),
): Promise<PostExecution[]> {
  const byPost = new Map<string, { day: number; platform: Platform; reports: MetricsReport[] }>();
  for (const { day, platform, report } of reports) {
    const entry = byPost.get(`${day}#${platform}`) ?? { day, platform, reports: [] };
    entry.reports.push(report);
    byPost.set(`${day}#${platform}`, entry);
  }
  if (byPost.size > MAX_POSTS_PER_APPEND) {
    throw new ValidationError([
      { path: 'body', message: `at most ${MAX_POSTS_PER_APPEND} posts at once, not ${byPost.size}: split the file` },
    ]);
  }
  if (byPost.size === 0) return [];
  const updated = await Promise.all(
    [...byPost.values()].map(async ({ day, platform, reports: added }) => {
      const { Item } = await dynamo.send(
        new GetCommand({ TableName: table, Key: keys.execution(userId, campaignId, day, platform), ConsistentRead: true }),
      );
      if (!Item || Item.posted !== true) throw postNotPlanned({ day, platform } as ConfirmDay);
      const previous = withoutKeys(Item) as unknown as PostExecution;
      return { previous, next: withMetricsReports(previous, added, now) };
    }),
  );
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: updated.map(({ previous, next }) => ({
          Put: {
            TableName: table,
            Item: executionItem(userId, next),
            ConditionExpression: 'version = :read',
            ExpressionAttributeValues: { ':read': previous.version },
          },
        })),
      }),
    );
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      throw new DomainError(
        'CAMPAIGN_STATE_CONFLICT',
        'A post changed while its metrics were being added; nothing was applied, send them again',
      );
    }
    throw error;
  }
  return updated.map(({ next }) => next);
}
