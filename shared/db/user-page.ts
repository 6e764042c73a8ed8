import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';
import { dynamo } from './client';
import { keys } from './keys';

/** A FilterExpression with its names and values; DynamoDB's Limit counts items before it, so a filtered page may be short. */
export interface PageFilter {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * One page of the items whose sort key starts with `skPrefix` in the user's partition, in
 * descending sort-key order (newest first: the ids are ULIDs), with the cursor of the next page.
 * A cursor from another partition is a 400 INVALID_CURSOR.
 */
export async function queryUserPage(
  table: string,
  userId: string,
  skPrefix: string,
  options: { limit: number; cursor?: string; filter?: PageFilter },
): Promise<{ items: Record<string, unknown>[]; nextCursor?: string }> {
  const pk = keys.userPk(userId);
  const { filter } = options;
  const page = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ...(filter && { FilterExpression: filter.expression }),
      ...(filter?.names && { ExpressionAttributeNames: filter.names }),
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ...filter?.values },
      ScanIndexForward: false,
      Limit: options.limit,
      ExclusiveStartKey: decodeCursor(options.cursor, { PK: pk }),
    }),
  );
  return { items: page.Items ?? [], nextCursor: encodeCursor(page.LastEvaluatedKey) };
}
