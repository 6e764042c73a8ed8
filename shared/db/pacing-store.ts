import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PacingStatus } from '../schemas/vocabulary';
import { conditionalWrite } from './put-once';
import { keys } from './keys';

/**
 * The campaign's last pacing status (`pacingStatus` on the header) and how many times it turned
 * `behind` (`behindCount`, which numbers the `campaign.behind` events). A change is conditional on
 * the status read, so of two evaluations at once one records it (and its event) and the other
 * changes nothing. Returns whether this call recorded it.
 */
export async function recordPacingStatus(
  table: string,
  userId: string,
  campaignId: string,
  change: { from?: PacingStatus; to: PacingStatus; behindCount: number },
  now: string,
): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.campaign(userId, campaignId),
      UpdateExpression: 'SET pacingStatus = :to, behindCount = :count, pacingChangedAt = :now',
      ConditionExpression: `attribute_exists(PK) AND ${change.from ? 'pacingStatus = :from' : 'attribute_not_exists(pacingStatus)'}`,
      ExpressionAttributeValues: {
        ':to': change.to,
        ':count': change.behindCount,
        ':now': now,
        ...(change.from && { ':from': change.from }),
      },
    }),
  );
}
