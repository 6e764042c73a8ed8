import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../db/client';
import { keys } from '../db/keys';
import { attemptRefSchema, WorkflowError, type AttemptRef } from '../db/workflow-store';
import type { Platform } from '../schemas/common';

/**
 * The workflow's unit of bulk work: a week of the campaign (every platform). The Writing Map runs
 * one `{ week, round }` per item, the Thumbnails Map one `{ week }`.
 */
export const weekInputSchema = attemptRefSchema.extend({ week: z.number().int().min(1).max(13) });
export type WeekInput = z.infer<typeof weekInputSchema>;

export function parseWeekInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new WorkflowError('InvalidWorkflowInput', z.prettifyError(parsed.error));
  return parsed.data;
}

export const weekDays = (week: number) => [week * 7 - 6, week * 7] as const;
export const weekOf = (day: number) => Math.ceil(day / 7);

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
