import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';

/** A page of what deletePrefix removes: current keys, or every version and delete marker. */
async function* prefixPages(s3: S3Client, bucket: string, prefix: string, allVersions: boolean): AsyncGenerator<ObjectIdentifier[]> {
  if (!allVersions) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      yield (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
      token = page.NextContinuationToken;
    } while (token);
    return;
  }
  // Every page is deleted before the next is listed, so the listing always restarts from the
  // front of what is left; the markers keep the pagination exact anyway.
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
    );
    yield [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].flatMap((version) =>
      version.Key ? [{ Key: version.Key, ...(version.VersionId && { VersionId: version.VersionId }) }] : [],
    );
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

/**
 * Deletes everything under a prefix, a page (≤ 1000 keys, DeleteObjects' limit) at a time: the
 * current objects (noncurrent versions are left to the bucket's lifecycle rule), or with
 * `allVersions` every version and delete marker, so nothing of the prefix is left in the versioned
 * bucket (account deletion). `afterPage` runs after each page is deleted. Returns the count deleted.
 */
export async function deletePrefix(
  s3: S3Client,
  bucket: string,
  prefix: string,
  options: { allVersions?: boolean; afterPage?: (deleted: number) => Promise<void> | void } = {},
): Promise<number> {
  let deleted = 0;
  for await (const objects of prefixPages(s3, bucket, prefix, options.allVersions ?? false)) {
    if (objects.length === 0) continue;
    const { Errors } = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    if (Errors?.length) throw new Error(`S3 refused to delete ${Errors.length} objects under ${prefix}: ${Errors[0].Code}`);
    deleted += objects.length;
    await options.afterPage?.(objects.length);
  }
  return deleted;
}

/** The keys of the current objects under a prefix, every page. */
export async function listPrefix(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const page of prefixPages(s3, bucket, prefix, false)) found.push(...page.map((object) => object.Key!));
  return found;
}
