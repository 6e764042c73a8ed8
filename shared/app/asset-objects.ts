import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, NoSuchKey } from '@aws-sdk/client-s3';
import { createContentScanner } from '../domain/asset-scan';
import { checkUpload, HEAD_BYTES, sizeLimit, type ContentFinding, type DeclaredUpload } from '../domain/assets';
import type { AssetType, RejectionReason } from '../schemas/vocabulary';
import { deleteAssetItem, findAsset, settleAsset } from '../db/asset-store';
import { mediaPrefix, parseUploadKey } from '../db/keys';
import { logger } from '../core/logger';
import { s3 } from '../media/s3';
import type { AssetConfig } from './assets';

/** The asset flow's object side (the request side is ./assets.ts): the upload check and the deletion of an asset's object. */

/** Deletes the item, then its object (none for a rejected asset; a pending upload's object, if any, expires with `uploads/`). */
export async function deleteAsset(config: AssetConfig, userId: string, assetId: string): Promise<void> {
  const asset = await deleteAssetItem(config.TABLE_NAME, userId, assetId);
  if (asset.status !== 'rejected') await s3.send(new DeleteObjectCommand({ Bucket: config.MEDIA_BUCKET_NAME, Key: asset.objectKey }));
}

export type UploadOutcome =
  | { outcome: 'ready'; assetId: string }
  | { outcome: 'rejected'; assetId: string; reason: RejectionReason }
  /** Not a pending asset's upload (another key, an unknown or settled asset): the object is deleted, nothing recorded. */
  | { outcome: 'discarded'; key: string }
  /** The object is gone already (a redelivered event after the move). */
  | { outcome: 'gone'; key: string };

/**
 * Streams the object through the content scanner, chunk by chunk (a 100 MB video is never whole in
 * memory), keeping its first HEAD_BYTES for the header checks; stops reading at the first finding.
 */
async function scanObject(bucket: string, key: string, type: AssetType): Promise<{ head: Uint8Array; content?: ContentFinding }> {
  const scanner = createContentScanner(type);
  const headChunks: Uint8Array[] = [];
  let headBytes = 0;
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  let content: ContentFinding | undefined;
  for await (const chunk of Body as AsyncIterable<Uint8Array>) {
    if (headBytes < HEAD_BYTES) {
      headChunks.push(chunk.subarray(0, HEAD_BYTES - headBytes));
      headBytes += headChunks.at(-1)!.length;
    }
    content = scanner.push(chunk);
    if (content) break;
  }
  return { head: Buffer.concat(headChunks), content: content ?? scanner.end() };
}

const isMissing = (error: unknown) =>
  error instanceof NotFound || error instanceof NoSuchKey || (error as { name?: string }).name === 'NotFound';

/**
 * Checks one uploaded object against its pending asset and settles the asset. Safe to run twice
 * for the same object: the copy is repeatable, the status changes only from pending, and a
 * second run finds the object gone or the asset settled.
 */
export async function processUpload(
  config: AssetConfig,
  key: string,
  now: () => string = () => new Date().toISOString(),
): Promise<UploadOutcome> {
  const bucket = config.MEDIA_BUCKET_NAME;
  const deleteUpload = () => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  const owner = parseUploadKey(key);
  const asset = owner && (await findAsset(config.TABLE_NAME, owner.userId, owner.assetId));
  // The key must be exactly the one this creator's pending asset was given.
  if (!owner || !asset || asset.status !== 'pending' || asset.objectKey !== key) {
    await deleteUpload();
    return { outcome: 'discarded', key };
  }

  const declared: DeclaredUpload = { type: asset.type, size: asset.declaredSize };
  let size: number;
  let scan: { head: Uint8Array; content?: ContentFinding } = { head: new Uint8Array(0) };
  try {
    size = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
    // An empty or oversized object is refused on its size alone, unread.
    if (size > 0 && size <= sizeLimit(declared)) scan = await scanObject(bucket, key, asset.type);
  } catch (error) {
    if (isMissing(error)) return { outcome: 'gone', key };
    throw error;
  }

  const result = checkUpload(declared, size, scan.head, scan.content);
  if (!result.accepted) {
    await deleteUpload();
    await settleAsset(config.TABLE_NAME, owner.userId, owner.assetId, { status: 'rejected', reason: result.reason }, now());
    logger.info('asset rejected', {
      assetId: owner.assetId,
      reason: result.reason,
      detectedType: result.detectedType,
      size,
      content: scan.content,
    });
    return { outcome: 'rejected', assetId: owner.assetId, reason: result.reason };
  }

  const target = mediaPrefix.asset(owner.userId, owner.assetId);
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: target,
        CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'REPLACE',
        ContentType: result.type,
      }),
    );
  } catch (error) {
    if (isMissing(error)) return { outcome: 'gone', key };
    throw error;
  }
  const settled = await settleAsset(
    config.TABLE_NAME,
    owner.userId,
    owner.assetId,
    { status: 'ready', objectKey: target, size: result.size, dimensions: result.dimensions },
    now(),
  );
  // Deleted while being checked: its copy must not outlive it.
  if (!settled && !(await findAsset(config.TABLE_NAME, owner.userId, owner.assetId))) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: target }));
  }
  await deleteUpload();
  logger.info('asset ready', { assetId: owner.assetId, type: result.type, size: result.size, ...result.dimensions });
  return { outcome: 'ready', assetId: owner.assetId };
}
