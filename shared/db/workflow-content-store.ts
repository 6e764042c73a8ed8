import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../schemas/common';
import { dynamo } from './client';
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
  try {
    await dynamo.send(
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
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
