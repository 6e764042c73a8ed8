import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { readConfig } from '../core/config';
import { presignGet } from '../media/presign';
import { dynamo } from './client';
import { keys } from './keys';

/** The campaign an output belongs to (a workflow attempt's ref satisfies it). */
export type CampaignRef = { userId: string; campaignId: string };

/**
 * Where an agent output lives. An output over MAX_INLINE_OUTPUT_BYTES (a DynamoDB item holds
 * 400 KB) is stored in the media bucket under the campaign's prefix
 * (`…/agent-outputs/<name>-<hash>.json`, deleted with the campaign's media) and its item holds
 * `outputRef: { key, bytes }` instead of `output`. Every reader goes through outputOf, so the
 * workflow's tasks and GET /campaigns/{id} see `output` either way.
 *
 * Outputs that large are rare: one is read through a presigned GET signed locally (no S3 SDK at
 * all, so the routes that read outputs, the MCP server's tools among them, carry none); the write
 * (./agent-output-object.ts, the agents only) imports the S3 SDK at the first one.
 */
export const MAX_INLINE_OUTPUT_BYTES = 350_000;

export interface OutputItem {
  output?: unknown;
  outputRef?: { key: string; bytes: number };
  inputHash?: string;
  model?: string;
}

/** How long the URL an output is read through lives: it is fetched at once. */
const OUTPUT_READ_SECONDS = 60;

export const mediaBucket = () => readConfig(['MEDIA_BUCKET_NAME']).MEDIA_BUCKET_NAME;

/** The item's output: inline, or read from the media bucket when the item holds a pointer. */
export async function outputOf(item: OutputItem, bucket: string): Promise<unknown> {
  if (!item.outputRef) return item.output;
  const response = await fetch(await presignGet(bucket, item.outputRef.key, OUTPUT_READ_SECONDS));
  if (!response.ok) throw new Error(`The agent output ${item.outputRef.key} could not be read: S3 answered ${response.status}`);
  return response.json();
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
