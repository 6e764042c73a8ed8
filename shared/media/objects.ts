import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

/**
 * Deletes every current object under a prefix, a page (≤ 1000 keys) at a time. Noncurrent
 * versions in the versioned bucket are left to the bucket's lifecycle rule.
 */
export async function deletePrefix(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const objects = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (objects.length > 0) {
      const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
      if (Errors?.length) throw new Error(`S3 refused to delete ${Errors.length} objects under ${prefix}: ${Errors[0].Code}`);
      deleted += objects.length;
    }
    token = page.NextContinuationToken;
  } while (token);
  return deleted;
}
