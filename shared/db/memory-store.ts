import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';
import { withoutKeys } from './expressions';
import { keys } from './keys';

/**
 * Learning memories (`MEM#<goalType>#<platform>#<cid>`, written with approved lessons by
 * report-store's saveApproval): what earlier campaigns with this goal taught, at most `limit`.
 */
export async function learningInsights(table: string, userId: string, goalType: string, limit: number) {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.memoryPrefix(goalType) },
      Limit: limit,
    }),
  );
  return Items.map((item) => ({ memory: item.SK as string, ...withoutKeys(item) }));
}
