import { createHash, createHmac } from 'node:crypto';
import { readConfig } from '../core/config';

/** The longest a presigned URL handed to a client may live. */
export const MAX_PRESIGN_SECONDS = 15 * 60;

function checkExpiry(expiresInSeconds: number): void {
  if (expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`Presigned URLs live at most ${MAX_PRESIGN_SECONDS} s, not ${expiresInSeconds}`);
  }
}

export interface PostPolicy {
  bucket: string;
  key: string;
  /** Form fields the upload must send as given (each becomes an exact-match condition). */
  fields: Record<string, string>;
  /** Further policy conditions, e.g. `['content-length-range', 1, size]`. */
  conditions: unknown[];
  expiresInSeconds: number;
}

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const amzDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * What every S3 signature needs: the function's own credentials from the environment (what
 * Lambda and the local stack set), the request time and its SigV4 scope and signing key.
 */
function signingContext(now: Date, environment: NodeJS.ProcessEnv) {
  const { AWS_REGION: region, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = environment;
  if (!region || !accessKeyId || !secret)
    throw new Error('AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed to sign for S3');
  const date = amzDate(now).replace(/[-:]/g, '');
  const day = date.slice(0, 8);
  return {
    date,
    token,
    credential: `${accessKeyId}/${day}/${region}/s3/aws4_request`,
    scope: `${day}/${region}/s3/aws4_request`,
    key: hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request'),
  };
}

/**
 * The URL of a bucket as the S3 SDK addresses it: the endpoint of AWS_ENDPOINT_URL_S3 (or
 * AWS_ENDPOINT_URL) when set, else the region's; path-style with S3_FORCE_PATH_STYLE.
 */
export function bucketUrl(bucket: string, environment: NodeJS.ProcessEnv = process.env): string {
  const endpoint = new URL(
    environment.AWS_ENDPOINT_URL_S3 ?? environment.AWS_ENDPOINT_URL ?? `https://s3.${environment.AWS_REGION}.amazonaws.com`,
  );
  if (readConfig(['S3_FORCE_PATH_STYLE'], environment).S3_FORCE_PATH_STYLE === 'true') {
    return `${endpoint.origin}${endpoint.pathname.replace(/\/$/, '')}/${bucket}`;
  }
  endpoint.hostname = `${bucket}.${endpoint.hostname}`;
  return endpoint.href;
}

/**
 * A presigned POST (S3's browser-form upload): the policy, signed with SigV4 as
 * `@aws-sdk/s3-presigned-post` signs it (the same fields, the same policy; a unit test compares the
 * two), from the function's own credentials in the environment (what Lambda and the local stack
 * set). No request is sent and no S3 client is needed: 70 KB of presigner and 120 KB of client
 * stay out of the route that hands uploads out.
 */
export function presignPost(
  policy: PostPolicy,
  now = new Date(),
  environment: NodeJS.ProcessEnv = process.env,
): { url: string; fields: Record<string, string> } {
  checkExpiry(policy.expiresInSeconds);
  const signing = signingContext(now, environment);
  const signed: Record<string, string> = {
    ...policy.fields,
    bucket: policy.bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': signing.credential,
    'X-Amz-Date': signing.date,
    ...(signing.token && { 'X-Amz-Security-Token': signing.token }),
  };
  const document = {
    expiration: amzDate(new Date(now.getTime() + policy.expiresInSeconds * 1000)),
    conditions: [...policy.conditions, ...Object.entries(signed).map(([name, value]) => ({ [name]: value })), { key: policy.key }],
  };
  const encoded = Buffer.from(JSON.stringify(document)).toString('base64');
  return {
    url: bucketUrl(policy.bucket, environment),
    fields: { ...signed, key: policy.key, Policy: encoded, 'X-Amz-Signature': hmac(signing.key, encoded).toString('hex') },
  };
}

/**
 * A presigned GET URL of one object (SigV4 query signing, as the SDK's presigner signs it; a unit
 * test compares the two). Signing is local, no request is sent, and no S3 SDK is loaded.
 */
export async function presignGet(
  bucket: string,
  key: string,
  expiresInSeconds = MAX_PRESIGN_SECONDS,
  now = new Date(),
  environment: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  checkExpiry(expiresInSeconds);
  const signing = signingContext(now, environment);
  const url = new URL(bucketUrl(bucket, environment));
  const path = `${url.pathname.replace(/\/$/, '')}/${key.split('/').map(uriEncode).join('/')}`;
  const parameters = Object.entries({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': signing.credential,
    'X-Amz-Date': signing.date,
    'X-Amz-Expires': String(expiresInSeconds),
    ...(signing.token && { 'X-Amz-Security-Token': signing.token }),
    'X-Amz-SignedHeaders': 'host',
    'x-id': 'GetObject',
  })
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .sort();
  const canonicalRequest = ['GET', path, parameters.join('&'), `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', signing.date, signing.scope, createHash('sha256').update(canonicalRequest).digest('hex')].join(
    '\n',
  );
  const signature = `X-Amz-Signature=${hmac(signing.key, stringToSign).toString('hex')}`;
  return `${url.origin}${path}?${[...parameters, signature].sort().join('&')}`;
}
