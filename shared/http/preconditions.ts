import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../core/errors';

/** The version in an `If-Match` header (`3`, `"3"` or `W/"3"`), or undefined when the header is absent. */
export function ifMatchVersion(event: Pick<APIGatewayProxyEventV2, 'headers'>): number | undefined {
  const header = event.headers?.['if-match'];
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) throw new ValidationError([{ path: 'header.if-match', message: 'must be the version number from the ETag, e.g. "3"' }]);
  return Number(match[1]);
}

export const etag = (version: number) => ({ etag: `"${version}"` });
