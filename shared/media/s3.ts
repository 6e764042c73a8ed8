import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readConfig } from '../core/config';

const { S3_FORCE_PATH_STYLE } = readConfig(['S3_FORCE_PATH_STYLE']);

/**
 * One S3 client per process. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_S3 locally); path-style addressing has no SDK variable, so it is ours.
 */
export const s3 = new S3Client({ forcePathStyle: S3_FORCE_PATH_STYLE === 'true' });

/** The longest a presigned URL handed to a client may live. */
export const MAX_PRESIGN_SECONDS = 15 * 60;

/** A presigned GET URL of one object; signing is local, no request is sent. */
export function presignGet(bucket: string, key: string, expiresInSeconds = MAX_PRESIGN_SECONDS): Promise<string> {
  if (expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`Presigned URLs live at most ${MAX_PRESIGN_SECONDS} s, not ${expiresInSeconds}`);
  }
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
}
