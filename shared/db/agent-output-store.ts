import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readConfig } from '../core/config';
import { logger } from '../core/logger';
import { dynamo } from './client';
import { keys, mediaPrefix } from './keys';

/** The campaign an output belongs to (a workflow attempt's ref satisfies it). */
type CampaignRef = { userId: string; campaignId: string };

/**
 * Where an agent output lives. An output over MAX_INLINE_OUTPUT_BYTES (a DynamoDB item holds
 * 400 KB) is stored in the media bucket under the campaign's prefix
 * (`…/agent-outputs/<name>-<hash>.json`, deleted with the campaign's media) and its item holds
 * `outputRef: { key, bytes }` instead of `output`. Every reader goes through outputOf, so the
 * workflow's tasks and GET /campaigns/{id} see `output` either way.
 *
 * Outputs that large are rare, so the S3 SDK is imported at the first one (a lazy chunk): the agent
 * functions and the campaign routes that read outputs do not load it cold.
 */
export const MAX_INLINE_OUTPUT_BYTES = 350_000;

export interface OutputItem {
  output?: unknown;
  outputRef?: { key: string; bytes: number };
  inputHash?: string;
  model?: string;
}

const mediaBucket = () => readConfig(['MEDIA_BUCKET_NAME']).MEDIA_BUCKET_NAME;

/** The item's output: inline, or read from the media bucket when the item holds a pointer. */
export async function outputOf(item: OutputItem, bucket: string): Promise<unknown> {
  if (!item.outputRef) return item.output;
  const [{ GetObjectCommand }, { s3 }] = await Promise.all([import('@aws-sdk/client-s3'), import('../media/s3')]);
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.outputRef.key }));
  return JSON.parse(await object.Body!.transformToString('utf8'));
}

/** One output item (consistent read), its pointer followed. */
export async function readOutputItem(table: string, ref: CampaignRef, name: string): Promise<OutputItem | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: table, Key: keys.agentOutput(ref.userId, ref.campaignId, name), ConsistentRead: true }),
  );
  const item = Item as OutputItem | undefined;
  if (!item?.outputRef) return item;
  return { ...item, output: await outputOf(item, mediaBucket()) };
}

/** The output as the item stores it: inline, or in the media bucket behind a pointer when it is too large for an item. */
export async function storableOutput(
  ref: CampaignRef,
  name: string,
  hash: string,
  output: unknown,
): Promise<Pick<OutputItem, 'output' | 'outputRef'>> {
  const json = JSON.stringify(output);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_INLINE_OUTPUT_BYTES) return { output };
  // Named by the inputs' hash: a retry writes the same object, a new input a new one.
  const [{ PutObjectCommand }, { s3 }] = await Promise.all([import('@aws-sdk/client-s3'), import('../media/s3')]);
  const key = `${mediaPrefix.campaign(ref.userId, ref.campaignId)}agent-outputs/${encodeURIComponent(name)}-${hash.slice(0, 16)}.json`;
  await s3.send(new PutObjectCommand({ Bucket: mediaBucket(), Key: key, Body: json, ContentType: 'application/json' }));
  logger.info('agent output stored in the media bucket', { output: name, key, bytes });
  return { outputRef: { key, bytes } };
}
