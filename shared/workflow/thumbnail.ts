import { HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../db/client';
import { keys, mediaPrefix } from '../db/keys';
import {
  attemptRefSchema,
  expectGenerating,
  readAttempt,
  updateProgress,
  WorkflowError,
  type AttemptRef,
} from '../db/workflow-store';
import { imageUsage } from '../domain/usage';
import { logger } from '../logger';
import { s3 } from '../media/s3';
import { renderThumbnail, type ThumbnailRequest } from '../media/thumbnail';
import { platformSchema } from '../schemas/common';
import { inputHash } from './hash';
import { meterToken, storeWithUsage } from './metering';

/** One item of the Thumbnails Map: the attempt's ids and the post. */
export const thumbnailInputSchema = attemptRefSchema.extend({
  day: z.number().int().min(1).max(90),
  platform: platformSchema,
});
export type ThumbnailInput = z.infer<typeof thumbnailInputSchema>;

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** `users/<uid>/campaigns/<cid>/thumbnails/<dd>-<platform>.<ext>` */
export function thumbnailKey(ref: AttemptRef, day: number, platform: string, contentType = 'image/png'): string {
  return `${mediaPrefix.campaign(ref.userId, ref.campaignId)}thumbnails/${String(day).padStart(2, '0')}-${platform}.${EXTENSIONS[contentType] ?? 'png'}`;
}

interface PostFields {
  title?: string;
  topic?: string;
  pillar?: string;
  thumbnailPrompt?: string;
  thumbnailKey?: string;
  thumbnailHash?: string;
}

/** What the image is made from: the written post, or its planned topic while nothing is written yet. */
export function thumbnailRequest(ref: AttemptRef, day: number, platform: ThumbnailInput['platform'], post: PostFields, niche: string): ThumbnailRequest {
  const title = post.title ?? post.topic ?? `Day ${day}`;
  const subtitle = post.topic && post.topic !== title ? post.topic : post.pillar;
  return {
    title,
    subtitle,
    prompt: post.thumbnailPrompt ?? `Eye-catching ${platform} thumbnail about "${title}" for a ${niche} audience`,
    platform,
    niche,
    seed: `${ref.campaignId}#${day}#${platform}`,
  };
}

async function objectExists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/**
 * The Thumbnail task: renders one post's thumbnail into the media bucket and sets `thumbnailKey`
 * (and the hash of what it was made from) on the content item. A re-run whose item already
 * records the same hash, and whose object exists, renders nothing and adds no usage; the image
 * and its usage are recorded together (storeWithUsage), so a retry never counts an image twice.
 */
export async function makeThumbnail(table: string, bucket: string, input: ThumbnailInput, now: string) {
  const { day, platform, ...ref } = input;
  const campaign = expectGenerating(await readAttempt(table, ref));
  const contentKey = keys.content(ref.userId, ref.campaignId, day, platform);
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: contentKey, ConsistentRead: true }));
  if (!Item) throw new WorkflowError('ContentNotFound', `No content item for day ${day} on ${platform} in campaign ${ref.campaignId}`);
  const post = Item as PostFields;
  if (campaign.progress?.step !== 'thumbnails') await updateProgress(table, ref, { step: 'thumbnails' }, now);

  const snapshot = campaign.profileSnapshot as { niche?: string } | undefined;
  const request = thumbnailRequest(ref, day, platform, post, snapshot?.niche ?? 'creator');
  const hash = inputHash({ request, provider: process.env.IMAGE_PROVIDER ?? 'offline' });
  if (post.thumbnailHash === hash && post.thumbnailKey && (await objectExists(bucket, post.thumbnailKey))) {
    return { day, platform, thumbnailKey: post.thumbnailKey, rendered: false };
  }

  const image = await renderThumbnail(request);
  const key = thumbnailKey(ref, day, platform, image.contentType);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: image.bytes,
      ContentType: image.contentType,
      Metadata: { 'input-hash': hash, provider: image.provider.slice(0, 200) },
    }),
  );
  const counted = await storeWithUsage(
    table,
    ref,
    {
      Update: {
        TableName: table,
        Key: contentKey,
        UpdateExpression: 'SET thumbnailKey = :key, thumbnailHash = :hash, thumbnailProvider = :provider',
        // Never recreate a deleted item; a hash recorded already was counted by that run.
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(thumbnailHash) OR thumbnailHash <> :hash OR thumbnailKey <> :key)',
        ExpressionAttributeValues: { ':key': key, ':hash': hash, ':provider': image.provider },
      },
    },
    imageUsage(image.provider),
    {},
    meterToken('thumbnail', ref.campaignId, day, platform, hash),
  );
  logger.info('thumbnail rendered', { day, platform, key, provider: image.provider, counted });
  return { day, platform, thumbnailKey: key, rendered: true };
}
