import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../db/client';
import { keys } from '../db/keys';
import type { AttemptRef } from '../db/workflow-store';
import { usageAddition, type Usage } from '../domain/usage';

/** Progress counters added with the result, so they too count once per stored result. */
export type ProgressCounts = Partial<Record<'batchesDone' | 'postsDone' | 'critiqueRounds', number>>;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** A conditional Put or Update of the result that was paid for. */
export type ResultWrite = Pick<TransactItem, 'Put' | 'Update'>;

/**
 * Stores a paid result and adds its usage to the campaign header in one transaction, so the usage
 * (and any progress counts) is counted exactly when the result is newly stored: a retried task whose result is stored
 * already (its write's condition fails) adds nothing. Returns whether this call stored it.
 *
 * What this cannot see: two runs of the same task at the very same time (a task timed out by Step
 * Functions while its Lambda still ran) both pay for a call, and only the stored one is counted.
 */
export async function storeWithUsage(table: string, ref: AttemptRef, write: ResultWrite, usage: Usage, progress: ProgressCounts = {}): Promise<boolean> {
  const addition = usageAddition(usage);
  const counts = Object.entries(progress).filter(([, value]) => value !== 0);
  const clauses = [
    ...(addition ? addition.clauses : []),
    ...counts.map((_, i) => `progress.#c${i} :c${i}`),
  ];
  const TransactItems: TransactItem[] = [write];
  if (clauses.length > 0) {
    TransactItems.push({
      Update: {
        TableName: table,
        Key: keys.campaign(ref.userId, ref.campaignId),
        UpdateExpression: `ADD ${clauses.join(', ')}`,
        ExpressionAttributeNames: {
          ...(addition && { '#usage': 'usage' }),
          ...Object.fromEntries(counts.map(([name], i) => [`#c${i}`, name])),
        },
        ExpressionAttributeValues: { ...addition?.values, ...Object.fromEntries(counts.map(([, value], i) => [`:c${i}`, value])) },
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
