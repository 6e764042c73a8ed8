import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { StoredMemory } from '../domain/memories';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';

/**
 * Every learning memory of the creator (`MEM#…`, written with approved lessons by report-store's
 * saveApproval), whatever its goal type; items written before the relevance ranking are read as
 * they are (shared/domain/memories.ts tolerates their missing fields).
 */
export async function creatorMemories(table: string, userId: string): Promise<(StoredMemory & Record<string, unknown>)[]> {
  const memories: (StoredMemory & Record<string, unknown>)[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.MEMORY_SK_PREFIX },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      // The key names the goal type and platform (`MEM#<goalType>#<platform>#<cid>`) should an old item lack them.
      const [, goalType, platform] = String(item.SK).split('#');
      memories.push({ memory: String(item.SK), goalType, platform, ...withoutKeys(item) });
    }
  }
  return memories;
}
