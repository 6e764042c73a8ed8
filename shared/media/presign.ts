/** The longest a presigned URL handed to a client may live. */
export const MAX_PRESIGN_SECONDS = 15 * 60;

/**
 * A presigned GET URL of one object; signing is local, no request is sent. The S3 SDK and its
 * presigner are imported at the first URL signed (a lazy chunk): a route that signs thumbnails or
 * downloads does not load them for a request that has none (a 404, an empty page, text posts).
 */
export async function presignGet(bucket: string, key: string, expiresInSeconds = MAX_PRESIGN_SECONDS): Promise<string> {
  if (expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`Presigned URLs live at most ${MAX_PRESIGN_SECONDS} s, not ${expiresInSeconds}`);
  }
  const [{ GetObjectCommand }, { getSignedUrl }, { s3 }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
    import('./s3'),
  ]);
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
}
