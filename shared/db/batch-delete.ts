import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';

/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_LIMIT = 25;
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * Deletes items by key, BATCH_WRITE_LIMIT per BatchWriteItem, retrying UnprocessedItems with jittered
 * backoff; throws when a batch is still unprocessed after MAX_UNPROCESSED_ROUNDS. `afterBatch` runs
 * once per completed batch (progress; a caller that throws from it stops the deletion there).
 */
export async function deleteKeys(
  table: string,
  itemKeys: Record<string, unknown>[],
  afterBatch?: (deleted: number) => Promise<void> | void,
): Promise<void> {
  for (let i = 0; i < itemKeys.length; i += BATCH_WRITE_LIMIT) {
    let requests = itemKeys.slice(i, i + BATCH_WRITE_LIMIT).map((Key) => ({ DeleteRequest: { Key } }));
    const size = requests.length;
    for (let round = 0; requests.length > 0; round++) {
      if (round === MAX_UNPROCESSED_ROUNDS) throw new Error(`BatchWriteItem left ${requests.length} deletes unprocessed`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round * Math.random()));
      const { UnprocessedItems } = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
    }
    await afterBatch?.(size);
  }
}
