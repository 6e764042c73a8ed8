import * as z from 'zod';
import { readConfig } from '../../shared/config';
import { attemptRefSchema, recordFailure } from '../../shared/db/workflow-store';
import { emitCreatorEvent } from '../../shared/events/emit';
import { logger } from '../../shared/logger';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);
const { TABLE_NAME } = config;

// Anything missing or malformed becomes undefined: this also runs after an invalid workflow input
// and must not replace the original error with a validation error of its own.
const failedStateSchema = z.object({
  userId: attemptRefSchema.shape.userId.optional().catch(undefined),
  campaignId: attemptRefSchema.shape.campaignId.optional().catch(undefined),
  attempt: attemptRefSchema.shape.attempt.optional().catch(undefined),
  failedStep: z.string().catch('unknown'),
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
 * The workflow's Catch target: receives the state with `$.failedStep` and `$.error` ({ Error, Cause }),
 * marks this attempt's campaign failed with that failure, and returns it for the final Fail state.
 * A campaign that cannot be marked (unknown ids, another attempt, no longer generating) is left as it is.
 */
export async function handler(input: unknown) {
  const { userId, campaignId, attempt, failedStep, error } = failedStateSchema.parse(input);
  const failure = { step: failedStep, code: error.Error, message: messageOf(error.Cause, error.Error), at: new Date().toISOString() };
  logger.error('campaign workflow failed', { userId, campaignId, attempt, failure });
  const notRecorded =
    userId && campaignId && attempt !== undefined
      ? await recordFailure(TABLE_NAME, { userId, campaignId, attempt }, failure)
      : 'the workflow input has no valid campaign reference';
  if (notRecorded) logger.warn('campaign not marked failed', { reason: notRecorded });
  else {
    // Only the call that recorded the failure announces it; a failed notice must not hide the failure.
    const event = { type: 'campaign.failed' as const, userId: userId!, campaignId, occurredAt: failure.at, data: { attempt, ...failure }, dedupeKey: `campaign.failed#${campaignId}#${attempt}` };
    await emitCreatorEvent(config, event).catch((emitError: unknown) => logger.error('could not announce the failure', { error: emitError }));
  }
  return { userId, campaignId, attempt, failure, recorded: !notRecorded };
}
