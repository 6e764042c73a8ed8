import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DayRange } from '../domain/due-window';
import { dynamo } from './client';
import { DUE_SHARDS, keys } from './keys';

export interface DuePostRef {
  userId: string;
  campaignId: string;
  platform: string;
  dueAt: string;
}

/** Reads one shard of the due-post index for a day range; keys only, every page. */
export async function duePostsInShard(table: string, range: DayRange, shard: number): Promise<DuePostRef[]> {
  const found: DuePostRef[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.duePk(range.day, shard), ':from': range.from, ':to': range.to },
        ProjectionExpression: 'GSI1SK',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const [time, userId, campaignId, platform] = String(item.GSI1SK).split('#');
      // BETWEEN is inclusive; the window's end belongs to the next window.
      if (time < range.to) found.push({ userId, campaignId, platform, dueAt: `${range.day}T${time}:00.000Z` });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

export const allShards = () => Array.from({ length: DUE_SHARDS }, (_, shard) => shard);
