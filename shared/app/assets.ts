import { SIZE_CAPS, UPLOAD_EXPIRY_SECONDS } from '../domain/assets';
import type { Asset, CreateAsset } from '../schemas/assets';
import { newJobId } from '../domain/jobs';
import { putPendingAsset, type StoredAsset } from '../db/asset-store';
import { mediaPrefix } from '../db/keys';
import { DomainError } from '../core/errors';
import { presignGet, presignPost } from '../media/presign';

/**
 * The asset flow: POST /assets records a pending asset and hands out a presigned POST into
 * `uploads/`; S3's ObjectCreated event runs `processUpload` (./asset-objects.ts, with everything
 * else that reads or writes the objects), which checks the object and moves it under
 * `users/<uid>/assets/` (ready) or deletes it (rejected). This side signs locally and loads no S3
 * client. Decisions: docs/architecture.md.
 */
export interface AssetConfig {
  TABLE_NAME: string;
  MEDIA_BUCKET_NAME: string;
}

export async function createAssetUpload(config: AssetConfig, userId: string, request: CreateAsset, now: Date) {
  const cap = SIZE_CAPS[request.type];
  if (request.size > cap) {
    throw new DomainError('ASSET_TOO_LARGE', `A ${request.type} asset may be at most ${cap} bytes`, { type: request.type, maxBytes: cap });
  }
  const assetId = newJobId(now.getTime());
  const objectKey = mediaPrefix.upload(userId, assetId);
  const timestamp = now.toISOString();
  const asset: StoredAsset = {
    assetId,
    status: 'pending',
    type: request.type,
    declaredSize: request.size,
    objectKey,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
  if (request.name) asset.name = request.name;
  if (request.description) asset.description = request.description;
  if (request.purpose) asset.purpose = request.purpose;
  // The policy fixes the key, the exact Content-Type and 1..declared size bytes; the checker
  // enforces all of it again on what arrives.
  const upload = await presignPost(
    {
      bucket: config.MEDIA_BUCKET_NAME,
      key: objectKey,
      fields: { 'Content-Type': request.type },
      conditions: [['content-length-range', 1, request.size]],
      expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
    },
    now,
  );
  await putPendingAsset(config.TABLE_NAME, userId, asset);
  return {
    asset: publicAsset(asset),
    upload: { url: upload.url, fields: upload.fields, expiresAt: new Date(now.getTime() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString() },
  };
}

export function publicAsset({ objectKey: _key, ...asset }: StoredAsset, url?: string): Asset {
  return url ? { ...asset, url } : asset;
}

/** An asset as the API shows it: ready ones with a presigned GET of their object. */
export async function assetView(config: AssetConfig, asset: StoredAsset): Promise<Asset> {
  return publicAsset(asset, asset.status === 'ready' ? await presignGet(config.MEDIA_BUCKET_NAME, asset.objectKey) : undefined);
}
