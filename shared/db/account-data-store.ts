import { DeleteCommand, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiKeyLookupsOf } from './api-key-store';
import { deleteKeys } from './batch-delete';
import { dynamo } from './client';
import { keys } from './keys';

/**
 * Everything of one creator in the table, for the account export and deletion: the partition
 * `USER#<uid>` (GSI1 entries — campaign list, due posts — are attributes of those items and vanish
 * with them), the rate windows `RATE#<uid>` and the lookup items of the creator's API keys
 * (`APIKEY#<keyId>`, named by their `APIKEY#` items). Only Queries, page by page; never a Scan.
 */
type Item = Record<string, unknown>;

/** Every item of the creator's partition, as stored (keys included), one Query page at a time. */
export async function* creatorItemPages(table: string, userId: string): AsyncGenerator<Item[]> {
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) yield page.Items ?? [];
}

/** The executions of the creator's campaigns that may be running (status `generating`). */
export async function generatingExecutions(table: string, userId: string): Promise<string[]> {
  const arns: string[] = [];
  const pages = paginateQuery(
    { client: dynamo },
    {
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :camp)',
      FilterExpression: '#status = :generating AND attribute_exists(execution)',
      ProjectionExpression: 'execution',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':camp': keys.campaignSk(''), ':generating': 'generating' },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) arns.push(String((item.execution as { arn: string }).arn));
  return arns;
}

/**
 * Deletes every item of the creator except `keep` (the deletion job and its lock, removed last by
 * deleteKeptItems), a Query page at a time in BatchWriteItem batches; `afterBatch` runs after each.
 * Repeats until a pass finds nothing else, so items a stopping execution wrote meanwhile go too.
 * Returns the count deleted.
 */
export async function deleteCreatorItems(
  table: string,
  userId: string,
  keep: Item[],
  afterBatch: (deleted: number) => Promise<void> | void,
): Promise<number> {
  const kept = new Set(keep.map((key) => `${String(key.PK)}\n${String(key.SK)}`));
  let total = 0;
  for (;;) {
    let deleted = 0;
    const partitions = [keys.userPk(userId), `${keys.RATE_PK_PREFIX}${userId}`];
    for (const pk of partitions) {
      let startKey: Item | undefined;
      do {
        const page = await dynamo.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'PK, SK',
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        const doomed = (page.Items ?? []).filter((key) => !kept.has(`${String(key.PK)}\n${String(key.SK)}`));
        // Lookups first: a lookup whose key item is gone would still authenticate its key.
        await deleteKeys(table, apiKeyLookupsOf(doomed));
        await deleteKeys(table, doomed, afterBatch);
        deleted += doomed.length;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    total += deleted;
    if (deleted === 0) return total;
  }
}

/** The last step of a deletion: the items it kept (the lock, then the job itself). */
export async function deleteKeptItems(table: string, keep: Item[]): Promise<void> {
  for (const Key of keep) await dynamo.send(new DeleteCommand({ TableName: table, Key }));
}
