import { paginateQuery, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplanBefore } from './replan-store';
import type { Platform } from '../schemas/common';
import type { HookStyle } from '../schemas/vocabulary';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { keys } from './keys';
import type { AttemptRef } from './workflow-store';

/** The content items as the campaign workflow's writing, critique and thumbnail stages read and fill them. */

/** A content item as the workflow's tasks read it. */
export interface ContentRecord {
  day: number;
  platform: Platform;
  format: string;
  version: number;
  pillar?: string;
  topic?: string;
  angle?: string;
  title?: string;
  script?: { hook: string; body: string; cta: string };
  post?: string;
  seoTags?: string[];
  cta?: string;
  thumbnailPrompt?: string;
  thumbnailKey?: string;
  thumbnailHash?: string;
  critique?: { score: number; reasons: string[]; rounds: number };
  hookStyle?: HookStyle;
  /** One hook per tested style (experiments.hookStyles). */
  hooks?: Partial<Record<HookStyle, string>>;
  /** When its week became ready (shared/workflow/weeks.ts). */
  readyAt?: string;
  /** The re-plan that is rewriting it (shared/workflow/stages/replan-planner.ts). */
  replan?: number;
  /** What that re-plan recorded of it before (a failed re-plan that never rewrote it puts it back). */
  replanBefore?: ReplanBefore;
}

/** The campaign's content items of days fromDay…toDay, strongly consistent. */
export async function queryContent(table: string, ref: AttemptRef, fromDay: number, toDay: number): Promise<ContentRecord[]> {
  const range = keys.contentDayRange(ref.campaignId, fromDay, toDay);
  const items: ContentRecord[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.userPk(ref.userId), ':from': range.from, ':to': range.to },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as ContentRecord[]));
  return items;
}

/** SET on an existing item (never recreates a deleted one); false when the condition failed. */
export async function updateIfExists(
  table: string,
  key: Record<string, string>,
  fields: Record<string, unknown>,
  extraCondition?: string,
): Promise<boolean> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: key,
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: ['attribute_exists(PK)', extraCondition].filter(Boolean).join(' AND '),
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(entries.map(([, value], i) => [`:f${i}`, value])),
        ...(extraCondition?.includes(':generatedVersion') && { ':generatedVersion': 1 }),
      },
    }),
  );
}

/** How many of the creator's latest other campaigns a new one is kept apart from, and at most how many of their posts. */
export const EARLIER_CAMPAIGNS = 3;
export const EARLIER_POSTS = 120;

/** A post of an earlier campaign, projected to what the repetition checks compare. */
export interface EarlierPost {
  day: number;
  platform: Platform;
  title?: string;
  script?: { hook: string };
  post?: string;
}

/**
 * The posts of the creator's latest EARLIER_CAMPAIGNS campaigns other than `ref`'s, newest campaign
 * first, at most EARLIER_POSTS: one GSI1 Query for the campaign list, then one projected Query per
 * campaign. The order is stable, so batches reading it in parallel see the same list.
 */
export async function queryEarlierPosts(table: string, ref: AttemptRef): Promise<EarlierPost[]> {
  const listed = await dynamo.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaignListPk(ref.userId) },
      ProjectionExpression: 'campaignId',
      ScanIndexForward: false,
      Limit: EARLIER_CAMPAIGNS + 1,
    }),
  );
  const campaignIds = (listed.Items ?? [])
    .map((item) => item.campaignId as string)
    .filter((campaignId) => campaignId !== ref.campaignId)
    .slice(0, EARLIER_CAMPAIGNS);
  const posts: EarlierPost[] = [];
  for (const campaignId of campaignIds) {
    if (posts.length >= EARLIER_POSTS) break;
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPk(ref.userId), ':prefix': keys.contentSkPrefix(campaignId) },
        ProjectionExpression: '#day, #platform, #title, #script.#hook, #post',
        ExpressionAttributeNames: {
          '#day': 'day',
          '#platform': 'platform',
          '#title': 'title',
          '#script': 'script',
          '#hook': 'hook',
          '#post': 'post',
        },
        Limit: EARLIER_POSTS - posts.length,
      }),
    );
    posts.push(...((page.Items ?? []) as EarlierPost[]).filter((item) => item.title));
  }
  return posts;
}
