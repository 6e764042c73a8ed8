import { paginateQuery, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { FeatureSource } from '../domain/prediction';
import type { PostExecution } from '../schemas/execution';
import type { PostPrediction } from '../schemas/content';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { mapLimited } from './concurrency';
import { keys } from './keys';

/**
 * What the per-post prediction (shared/domain/prediction.ts) reads and writes: the creator's
 * earlier campaigns' posts with their confirmations (the model's history), the campaign's content
 * items as planned, and each item's `prediction`, set once.
 */

/** Earlier campaigns the model learns from, newest first: enough history, bounded reads (2 Queries each). */
export const HISTORY_CAMPAIGNS = 10;
const WRITE_CONCURRENCY = 8;

export type PlannedFeatures = FeatureSource & { day: number };

const FEATURES = ['day', 'platform', 'date', 'localTime', 'format', 'pillar', 'hookStyle', 'post'] as const;
// Every name through a placeholder: several are DynamoDB reserved words (date, format, localTime …).
const FEATURE_PROJECTION = [...FEATURES.map((_, i) => `#f${i}`), '#script.#hook'].join(', ');
const FEATURE_NAMES = {
  ...Object.fromEntries(FEATURES.map((name, i) => [`#f${i}`, name])),
  '#script': 'script',
  '#hook': 'hook',
};

async function queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: dynamo }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** A campaign's content items, projected to the prediction's features. */
export function plannedFeatures(table: string, userId: string, campaignId: string): Promise<PlannedFeatures[]> {
  return queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.contentSkPrefix(campaignId) },
    ProjectionExpression: FEATURE_PROJECTION,
    ExpressionAttributeNames: FEATURE_NAMES,
    ConsistentRead: true,
  }) as unknown as Promise<PlannedFeatures[]>;
}

/**
 * The posts and confirmations of the creator's HISTORY_CAMPAIGNS latest campaigns other than
 * `campaignId`: one GSI1 Query for the list, then two projected Queries per campaign.
 */
export async function creatorHistory(
  table: string,
  userId: string,
  campaignId: string,
): Promise<{ posts: PlannedFeatures[]; executions: PostExecution[] }[]> {
  const listed = await dynamo.send(
    new QueryCommand({
      TableName: table,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.campaignListPk(userId) },
      ProjectionExpression: 'campaignId',
      ScanIndexForward: false,
      Limit: HISTORY_CAMPAIGNS + 1,
    }),
  );
  const earlier = (listed.Items ?? [])
    .map((item) => String(item.campaignId))
    .filter((id) => id !== campaignId)
    .slice(0, HISTORY_CAMPAIGNS);
  return mapLimited(earlier, 4, async (id) => {
    const [posts, executions] = await Promise.all([
      plannedFeatures(table, userId, id),
      queryAll({
        TableName: table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.executionSkPrefix(id) },
        ProjectionExpression: '#day, #platform, #posted, #postedAt, #metrics',
        ExpressionAttributeNames: {
          '#day': 'day',
          '#platform': 'platform',
          '#posted': 'posted',
          '#postedAt': 'postedAt',
          '#metrics': 'metrics',
        },
      }),
    ]);
    return { posts, executions: executions as unknown as PostExecution[] };
  });
}

/** Sets each item's prediction unless it has one (a retried Finalize predicts nothing twice); an item gone meanwhile is skipped. */
export async function savePredictions(
  table: string,
  userId: string,
  campaignId: string,
  predictions: readonly { day: number; platform: string; prediction: PostPrediction }[],
): Promise<void> {
  await mapLimited(predictions, WRITE_CONCURRENCY, async ({ day, platform, prediction }) => {
    await conditionalWrite(
      new UpdateCommand({
        TableName: table,
        Key: keys.content(userId, campaignId, day, platform),
        UpdateExpression: 'SET prediction = :prediction',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(prediction)',
        ExpressionAttributeValues: { ':prediction': prediction },
      }),
    );
  });
}
