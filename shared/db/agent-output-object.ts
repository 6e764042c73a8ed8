import { logger } from '../core/logger';
import { MAX_INLINE_OUTPUT_BYTES, mediaBucket, type CampaignRef, type OutputItem } from './agent-output-store';
import { mediaPrefix } from './keys';

/**
 * The output as the item stores it: inline, or in the media bucket behind a pointer when it is too
 * large for an item. In a module of its own, beside the readers of ./agent-output-store.ts: esbuild
 * keeps a dynamic import's chunk even where the function holding it is unused, so the S3 SDK would
 * otherwise reach every route that reads outputs.
 */
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
