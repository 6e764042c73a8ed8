import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { attemptRefSchema, replanInputSchema } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { failureMessage, markAttemptFailed } from '../../shared/workflow/mark-failed';
import { endReplan } from '../../shared/workflow/replan-finalize';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

// Anything missing or malformed becomes undefined: this also runs after an invalid workflow input
// and must not replace the original error with a validation error of its own.
const failedStateSchema = z.object({
  userId: z.catch(z.optional(attemptRefSchema.shape.userId), undefined),
  campaignId: z.catch(z.optional(attemptRefSchema.shape.campaignId), undefined),
  attempt: z.catch(z.optional(attemptRefSchema.shape.attempt), undefined),
  failedStep: z.catch(z.string(), 'unknown'),
  error: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
});

/**
 * The workflow's Catch target: receives the state with `$.failedStep` and `$.error` ({ Error, Cause }),
 * marks this attempt's campaign failed with that failure, and returns it for the final Fail state.
 * A campaign that cannot be marked (unknown ids, another attempt, no longer generating) is left as it is.
 */
export async function handler(input: unknown) {
  const { userId, campaignId, attempt, failedStep, error } = failedStateSchema.parse(input);
  const failure = { step: failedStep, code: error.Error, message: failureMessage(error.Cause, error.Error), at: new Date().toISOString() };
  logger.error('campaign workflow failed', { userId, campaignId, attempt, failure });
  const replan = replanInputSchema.safeParse(input);
  if (replan.success) {
    // A re-plan's failure is the re-plan's, never the running campaign's.
    await endReplan(config, replan.data, { code: failure.code, message: failure.message }, failure.at);
    return { userId, campaignId, attempt, failure, recorded: true };
  }
  const { recorded } = await markAttemptFailed(config, { userId, campaignId, attempt }, failure);
  return { userId, campaignId, attempt, failure, recorded };
}
