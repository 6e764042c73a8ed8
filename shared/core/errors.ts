/**
 * Typed domain errors. Each carries the stable code that clients see in the error envelope
 * and the HTTP status the API maps it to. Codes are documented in README.md.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PROFILE_EXISTS'
  | 'PROFILE_NOT_FOUND'
  | 'CAMPAIGN_NOT_FOUND'
  | 'CONTENT_NOT_FOUND'
  | 'JOB_NOT_FOUND'
  | 'CAMPAIGN_STATE_CONFLICT'
  | 'ONBOARDING_INCOMPLETE'
  | 'PRECONDITION_FAILED'
  | 'INVALID_CURSOR'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IN_PROGRESS'
  | 'WORKFLOW_START_FAILED'
  | 'DAY_OUTSIDE_CAMPAIGN'
  | 'PLATFORM_NOT_IN_CAMPAIGN'
  | 'FORBIDDEN'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'NOTIFICATION_NOT_FOUND'
  | 'WEBHOOK_NOT_FOUND'
  | 'ASSET_NOT_FOUND'
  | 'ASSET_TOO_LARGE'
  | 'ASSET_NOT_READY'
  | 'WEBHOOK_URL_REFUSED'
  | 'WEBHOOK_DISABLED'
  | 'LESSONS_NOT_READY'
  | 'METRICS_IMPORT_INVALID'
  | 'PRECONDITION_REQUIRED'
  | 'AI_KEY_INVALID'
  | 'AI_KEY_UNVERIFIED'
  | 'AI_KEY_NOT_FOUND'
  | 'API_KEY_NOT_FOUND'
  | 'USER_NOT_FOUND'
  | 'INSUFFICIENT_SCOPE'
  | 'INTERNAL';

export const errorStatus: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PROFILE_EXISTS: 409,
  PROFILE_NOT_FOUND: 404,
  CAMPAIGN_NOT_FOUND: 404,
  CONTENT_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  CAMPAIGN_STATE_CONFLICT: 409,
  ONBOARDING_INCOMPLETE: 409,
  PRECONDITION_FAILED: 412,
  INVALID_CURSOR: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IN_PROGRESS: 409,
  WORKFLOW_START_FAILED: 503,
  DAY_OUTSIDE_CAMPAIGN: 422,
  PLATFORM_NOT_IN_CAMPAIGN: 422,
  FORBIDDEN: 403,
  QUOTA_EXCEEDED: 402,
  RATE_LIMITED: 429,
  NOTIFICATION_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  ASSET_NOT_FOUND: 404,
  ASSET_TOO_LARGE: 413,
  ASSET_NOT_READY: 422,
  WEBHOOK_URL_REFUSED: 422,
  WEBHOOK_DISABLED: 409,
  LESSONS_NOT_READY: 409,
  METRICS_IMPORT_INVALID: 422,
  PRECONDITION_REQUIRED: 428,
  AI_KEY_INVALID: 422,
  AI_KEY_UNVERIFIED: 503,
  AI_KEY_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  INSUFFICIENT_SCOPE: 403,
  INTERNAL: 500,
};

export interface FieldIssue {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = errorStatus[code];
    this.details = details;
  }
}

export class ValidationError extends DomainError {
  constructor(issues: FieldIssue[]) {
    super('VALIDATION_FAILED', `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      issues,
    });
  }
}
