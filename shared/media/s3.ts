import { S3Client } from '@aws-sdk/client-s3';
import { readConfig } from '../core/config';

const { S3_FORCE_PATH_STYLE } = readConfig(['S3_FORCE_PATH_STYLE']);

/**
 * One S3 client per process. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_S3 locally); path-style addressing has no SDK variable, so it is ours.
 */
export const s3 = new S3Client({ forcePathStyle: S3_FORCE_PATH_STYLE === 'true' });
