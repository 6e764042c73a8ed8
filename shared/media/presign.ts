import { Sha256 } from '@smithy/core/checksum';
import { buildQueryString, extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { ALGORITHM_IDENTIFIER, createScope, SignatureV4, UNSIGNED_PAYLOAD } from '@smithy/signature-v4';
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

/**
 * The SDK's own SigV4 signer for S3 (what its presigners use), with the function's own credentials
 * from the environment (what Lambda and the local stack set). It and the SHA-256 come with the
 * DynamoDB client every function already loads, so signing adds next to no bytes and no S3 client.
 */
function s3Signer(environment: NodeJS.ProcessEnv) {
  const {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = environment;
  if (!region || !accessKeyId || !secretAccessKey)
    throw new Error('AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed to sign for S3');
  const credentials = { accessKeyId, secretAccessKey, sessionToken };
  // S3 signs the path as sent: its keys are already encoded segment by segment.
  return { region, credentials, signer: new SignatureV4({ service: 's3', region, credentials, sha256: Sha256, uriEscapePath: false }) };
}

/** SigV4's ISO 8601 basic format, as the SDK writes it (seconds, no milliseconds). */
const amzDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

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
 * A presigned POST (S3's browser-form upload): the policy, signed by the SDK's signer as
 * `@aws-sdk/s3-presigned-post` signs it (the same fields, the same policy; a unit test compares the
 * two). No request is sent and no S3 client is needed: 70 KB of presigner and 120 KB of client
 * stay out of the route that hands uploads out.
 */
export async function presignPost(
  policy: PostPolicy,
  now = new Date(),
  environment: NodeJS.ProcessEnv = process.env,
): Promise<{ url: string; fields: Record<string, string> }> {
  checkExpiry(policy.expiresInSeconds);
  const { region, credentials, signer } = s3Signer(environment);
  const date = amzDate(now).replace(/[-:]/g, '');
  const signed: Record<string, string> = {
    ...policy.fields,
    bucket: policy.bucket,
    'X-Amz-Algorithm': ALGORITHM_IDENTIFIER,
    'X-Amz-Credential': `${credentials.accessKeyId}/${createScope(date.slice(0, 8), region, 's3')}`,
    'X-Amz-Date': date,
    ...(credentials.sessionToken && { 'X-Amz-Security-Token': credentials.sessionToken }),
  };
  const document = {
    expiration: amzDate(new Date(now.getTime() + policy.expiresInSeconds * 1000)),
    conditions: [...policy.conditions, ...Object.entries(signed).map(([name, value]) => ({ [name]: value })), { key: policy.key }],
  };
  const encoded = Buffer.from(JSON.stringify(document)).toString('base64');
  // A POST policy's signature is the HMAC of the encoded policy under the day's signing key: a string signature.
  const signature = await signer.sign(encoded, { signingDate: now });
  return {
    url: bucketUrl(policy.bucket, environment),
    fields: { ...signed, key: policy.key, Policy: encoded, 'X-Amz-Signature': signature },
  };
}

/**
 * A presigned GET URL of one object, query-signed by the SDK's signer as its S3 presigner
 * prepares it (a unit test compares the two). Signing is local, no request is sent, and no S3
 * client is loaded.
 */
export async function presignGet(
  bucket: string,
  key: string,
  expiresInSeconds = MAX_PRESIGN_SECONDS,
  now = new Date(),
  environment: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  checkExpiry(expiresInSeconds);
  const { signer } = s3Signer(environment);
  const url = new URL(bucketUrl(bucket, environment));
  const request = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port && { port: Number(url.port) }),
    path: `${url.pathname.replace(/\/$/, '')}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`,
    query: { 'x-id': 'GetObject' },
    // As the S3 presigner does: the payload is not signed, the host is.
    headers: { host: url.host, 'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD },
  });
  const signed = await signer.presign(request, { signingDate: now, expiresIn: expiresInSeconds });
  return `${url.origin}${signed.path}?${buildQueryString(signed.query ?? {})}`;
}
