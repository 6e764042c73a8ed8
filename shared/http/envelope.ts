import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ErrorCode } from '../core/errors';

export interface Meta {
  requestId: string;
  timestamp: string;
  nextCursor?: string;
}

export function meta(requestId: string, extra: Partial<Meta> = {}): Meta {
  return { requestId, timestamp: new Date().toISOString(), ...extra };
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function successBody(data: unknown, requestMeta: Meta) {
  return { data, meta: requestMeta };
}

export function errorBody(code: ErrorCode, message: string, requestMeta: Meta, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) }, meta: requestMeta };
}

/** A handler result that carries its own status, headers or pagination cursor. */
export class Reply<T = unknown> {
  constructor(
    readonly data: T,
    readonly options: { status?: number; headers?: Record<string, string>; nextCursor?: string } = {},
  ) {}
}

/** A non-JSON response (HTML, assets, documents) passed through as is. */
export class RawReply {
  constructor(readonly response: APIGatewayProxyStructuredResultV2) {}
}
