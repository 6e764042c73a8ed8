import { paginateQuery, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../schemas/common';
import type { FollowerCount } from '../schemas/followers';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';

/**
 * Follower counts, one item per platform, date and source (`FOLLOWERS#<platform>#<date>#<source>`):
 * the creator's own entry (PUT /profile/followers, `manual`) and a connected account's daily
 * import (`platform`) never overwrite one another; a second entry of the same source replaces the first.
 */
export async function recordFollowerCount(table: string, userId: string, entry: FollowerCount): Promise<FollowerCount> {
  await dynamo.send(
    new PutCommand({ TableName: table, Item: { ...keys.followerCount(userId, entry.platform, entry.date, entry.source), ...entry } }),
  );
  return entry;
}

/** Per platform and date, the newest entry by `recordedAt`, whatever its source; dates in order. */
export async function followerHistory(table: string, userId: string, platform?: Platform): Promise<FollowerCount[]> {
  const newest = new Map<string, FollowerCount>();
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.followerCountPrefix(platform) },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const entry = withoutKeys(item) as unknown as FollowerCount;
      const key = `${entry.platform}#${entry.date}`;
      const seen = newest.get(key);
      if (!seen || seen.recordedAt < entry.recordedAt) newest.set(key, entry);
    }
  }
  return [...newest.values()].sort((a, b) => a.platform.localeCompare(b.platform) || a.date.localeCompare(b.date));
}
