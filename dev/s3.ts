import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';
import { freePort } from './ports';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const corsConfig = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
  </CORSRule>
</CORSConfiguration>`;

export interface LocalS3 {
  endpoint: string;
  server: S3rver;
  stop(): Promise<void>;
}

interface StoredObject {
  key: string;
  size: number;
  lastModifiedDate: Date;
  metadata: Record<string, string>;
}
interface VersionsContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  store: {
    listObjects(
      bucket: string,
      options: { prefix: string; startAfter: string; maxKeys: number },
    ): Promise<{ objects: StoredObject[]; isTruncated: boolean }>;
  };
  body: unknown;
}

/**
 * ListObjectVersions (`GET /<bucket>?versions`), which s3rver answers NotImplemented. s3rver keeps
 * one version per key, so every object is its own `null` version (what S3 lists for an object
 * written before versioning was enabled) and there are no delete markers; DeleteObjects ignores
 * the VersionId. Enough for the account deletion to run its versioned code path locally.
 */
const listObjectVersions = async (ctx: VersionsContext, next: () => Promise<unknown>) => {
  const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
  if (ctx.method !== 'GET' || !bucket || !('versions' in ctx.query)) return next();
  const prefix = String(ctx.query.prefix ?? '');
  const keyMarker = String(ctx.query['key-marker'] ?? '');
  const maxKeys = Math.min(Number(ctx.query['max-keys'] ?? 1000), 1000);
  const { objects, isTruncated } = await ctx.store.listObjects(bucket, { prefix, startAfter: keyMarker, maxKeys });
  ctx.body = {
    ListVersionsResult: {
      '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
      Name: bucket,
      Prefix: prefix,
      KeyMarker: keyMarker,
      MaxKeys: maxKeys,
      IsTruncated: isTruncated,
      ...(isTruncated && { NextKeyMarker: objects.at(-1)!.key, NextVersionIdMarker: 'null' }),
      Version: objects.map((object) => ({
        Key: object.key,
        VersionId: 'null',
        IsLatest: true,
        LastModified: object.lastModifiedDate.toISOString(),
        ETag: object.metadata.etag,
        Size: object.size,
        StorageClass: 'STANDARD',
      })),
    },
  };
};

/** s3rver serving the media bucket from a folder. */
export async function startS3(directory: string, bucket: string): Promise<LocalS3> {
  mkdirSync(directory, { recursive: true });
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [corsConfig] }],
  });
  // After s3rver's logger, XML encoder and mount interop, before its router (Koa composes at run()).
  (server as unknown as { middleware: unknown[] }).middleware.splice(3, 0, listObjectVersions);
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, server, stop: () => server.close() };
}
