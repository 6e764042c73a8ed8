import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../db/client';
import { keys } from '../db/keys';
import type { AttemptRef } from '../db/workflow-store';
import { usageAddition, type Usage } from '../domain/usage';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A conditional Put or Update of the result that was paid for. */
export type ResultWrite = Pick<TransactItem, 'Put' | 'Update'>;

/**
 * Stores a paid result and adds its usage to the campaign header in one transaction, so the usage
 * is counted exactly when the result is newly stored: a retried task whose result is stored
 * already (its write's condition fails) adds nothing. Returns whether this call stored it.
 *
 * What this cannot see: two runs of the same task at the very same time (a task timed out by Step
 * Functions while its Lambda still ran) both pay for a call, and only the stored one is counted.
 */
export async function storeWithUsage(table: string, ref: AttemptRef, write: ResultWrite, usage: Usage): Promise<boolean> {
  const addition = usageAddition(usage);
  const TransactItems: TransactItem[] = [write];
  if (addition) {
    TransactItems.push({
      Update: {
        TableName: table,
        Key: keys.campaign(ref.userId, ref.campaignId),
        UpdateExpression: addition.expression,
        ExpressionAttributeNames: { '#usage': 'usage' },
        ExpressionAttributeValues: addition.values,
      },
    });
  }
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw error;
  }
}
