import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_PRESIGN_SECONDS, presignGet, presignPost } from '../../shared/media/presign';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** Where the SDK client and presignPost read their endpoint from: the region's, or a local one, virtual-hosted or path-style. */
const ADDRESSING = [
  { endpoint: undefined, forcePathStyle: false },
  { endpoint: undefined, forcePathStyle: true },
  { endpoint: 'http://127.0.0.1:4569', forcePathStyle: true },
  { endpoint: 'http://localhost:4569', forcePathStyle: false },
];

/**
 * A bucket name S3 accepts (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * lowercase letters, digits and hyphens, starting and ending with a letter or digit, and none of the
 * reserved prefixes and suffixes. An `xn--` name is not a valid host label, so the SDK's own
 * presigners reject it ("Invalid URL").
 */
const bucketName = fc
  .stringMatching(/^[a-z0-9][a-z0-9-]{2,40}[a-z0-9]$/)
  .filter((name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name));

describe('presignPost', () => {
  afterEach(() => vi.useRealTimers());

  it('signs the same fields, policy and URL as @aws-sdk/s3-presigned-post', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          addressing: fc.constantFrom(...ADDRESSING),
          region: fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2'),
          bucket: bucketName,
          key: fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }),
          type: fc.constantFrom('image/png', 'video/mp4', 'application/pdf'),
          size: fc.integer({ min: 1, max: 100 * 1024 * 1024 }),
          expires: fc.integer({ min: 1, max: MAX_PRESIGN_SECONDS }),
          sessionToken: fc.option(fc.base64String({ minLength: 8, maxLength: 64 }), { nil: undefined }),
          now: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }),
        }),
        async ({ addressing, region, bucket, key, type, size, expires, sessionToken, now }) => {
          vi.useFakeTimers({ now, toFake: ['Date'] });
          const client = new S3Client({
            region,
            credentials: { ...CREDENTIALS, sessionToken },
            forcePathStyle: addressing.forcePathStyle,
            ...(addressing.endpoint && { endpoint: addressing.endpoint }),
          });
          const fields = { 'Content-Type': type };
          const expected = await createPresignedPost(client, {
            Bucket: bucket,
            Key: key,
            Fields: fields,
            Conditions: [['content-length-range', 1, size]],
            Expires: expires,
          });
          const environment = {
            AWS_REGION: region,
            AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: sessionToken,
            AWS_ENDPOINT_URL_S3: addressing.endpoint,
            S3_FORCE_PATH_STYLE: String(addressing.forcePathStyle),
          };
          const signed = await presignPost(
            { bucket, key, fields, conditions: [['content-length-range', 1, size]], expiresInSeconds: expires },
            new Date(now),
            environment,
          );
          expect(signed).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an expiry beyond the limit and a missing credential', async () => {
    const policy = { bucket: 'media', key: 'uploads/u/a', fields: {}, conditions: [] };
    const environment = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };
    await expect(presignPost({ ...policy, expiresInSeconds: MAX_PRESIGN_SECONDS + 1 }, new Date(), environment)).rejects.toThrow(
      RangeError,
    );
    await expect(
      presignPost({ ...policy, expiresInSeconds: 60 }, new Date(), { ...environment, AWS_SECRET_ACCESS_KEY: undefined }),
    ).rejects.toThrow(/AWS_SECRET_ACCESS_KEY/);
  });
});

describe('presignGet', () => {
  afterEach(() => vi.useRealTimers());

  it('signs the same URL as @aws-sdk/s3-request-presigner', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          addressing: fc.constantFrom(...ADDRESSING),
          region: fc.constantFrom('us-east-1', 'eu-west-3'),
          bucket: bucketName,
          key: fc
            .array(fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }), { minLength: 1, maxLength: 4 })
            .map((parts) => parts.join('/')),
          expires: fc.integer({ min: 1, max: MAX_PRESIGN_SECONDS }),
          sessionToken: fc.option(fc.base64String({ minLength: 8, maxLength: 64 }), { nil: undefined }),
          now: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) }),
        }),
        async ({ addressing, region, bucket, key, expires, sessionToken, now }) => {
          vi.useFakeTimers({ now, toFake: ['Date'] });
          const client = new S3Client({
            region,
            credentials: { ...CREDENTIALS, sessionToken },
            forcePathStyle: addressing.forcePathStyle,
            ...(addressing.endpoint && { endpoint: addressing.endpoint }),
          });
          const expected = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expires });
          const environment = {
            AWS_REGION: region,
            AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
            AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
            AWS_SESSION_TOKEN: sessionToken,
            AWS_ENDPOINT_URL_S3: addressing.endpoint,
            S3_FORCE_PATH_STYLE: String(addressing.forcePathStyle),
          };
          expect(await presignGet(bucket, key, expires, new Date(now), environment)).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an expiry beyond the limit', async () => {
    await expect(presignGet('media', 'users/u/a.png', MAX_PRESIGN_SECONDS + 1)).rejects.toThrow(RangeError);
  });
});
