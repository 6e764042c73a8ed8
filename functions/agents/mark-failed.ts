import { z } from 'zod';
import { logger } from '../../shared/logger';

// A missing or malformed id becomes undefined: this also runs after an invalid workflow input and
// must not replace the original error with a validation error of its own.
const failedStateSchema = z.object({
  userId: z.string().optional().catch(undefined),
  campaignId: z.string().optional().catch(undefined),
  attempt: z.number().optional().catch(undefined),
  error: z.object({ Error: z.string(), Cause: z.string().optional() }),
});

/** A Lambda error's Cause is the JSON `{ errorType, errorMessage, trace }`; other causes are plain text. */
function messageOf(cause: string | undefined, code: string): string {
  if (!cause) return code;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed && typeof parsed.errorMessage === 'string') {
      return parsed.errorMessage;
    }
  } catch {
    // not JSON: the cause is the message
  }
  return cause;
}

/**
 * The workflow's Catch target: receives the state with `$.error` ({ Error, Cause }) and returns
 * the failure in the shape the final Fail state reads. Campaign items arrive in a later issue;
 * recording the failed status on the campaign item belongs here then.
 */
export async function handler(input: unknown) {
  const { userId, campaignId, attempt, error } = failedStateSchema.parse(input);
  const failure = { code: error.Error, message: messageOf(error.Cause, error.Error) };
  logger.error('campaign workflow failed', { userId, campaignId, attempt, failure });
  return { userId, campaignId, attempt, status: 'failed' as const, error: failure };
}
