import type { S3Event } from 'aws-lambda';
import { processUpload } from '../../shared/app/asset-objects';
import { readConfig } from '../../shared/core/config';
import { UPLOADS_PREFIX } from '../../shared/db/keys';
import { logger } from '../../shared/core/logger';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

/** S3 event keys are URL-encoded, with `+` for a space. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

/**
 * S3 ObjectCreated notifications of `uploads/` (locally: s3rver's events, which cover every key
 * and every event type, so both are filtered here too). Checks each uploaded object and settles
 * its asset; a failure throws, and S3's asynchronous invocation retries the event.
 */
export async function handler(event: S3Event) {
  const keys = (event.Records ?? [])
    .filter((record) => record.eventName?.startsWith('ObjectCreated:'))
    .map((record) => decodeKey(record.s3.object.key))
    .filter((key) => key.startsWith(UPLOADS_PREFIX));
  const outcomes = [];
  for (const key of keys) outcomes.push(await processUpload(config, key));
  logger.info('uploads checked', { outcomes });
  return outcomes;
}
