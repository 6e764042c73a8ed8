import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { attemptRefSchema } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { failureMessage, markAttemptFailed } from '../../shared/workflow/mark-failed';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

/** The part of Step Functions' "Step Functions Execution Status Change" event this handler reads. */
const statusChangeSchema = z.object({
  time: z.optional(z.iso.datetime()),
  detail: z.object({
    executionArn: z.string(),
    name: z.string(),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    input: z.nullish(z.string()),
    error: z.nullish(z.string()),
    cause: z.nullish(z.string()),
    stopDate: z.nullish(z.number()),
  }),
});

/** The attempt the execution ran, from its input; undefined when the input names none (nothing to mark). */
function attemptOf(input: string | null | undefined) {
  try {
    const parsed = attemptRefSchema.safeParse(JSON.parse(input ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const codes = { FAILED: 'EXECUTION_FAILED', TIMED_OUT: 'TIMEOUT', ABORTED: 'EXECUTION_ABORTED' } as const;

/**
 * The EventBridge rule on the campaign workflow's executions that end FAILED, TIMED_OUT or
 * ABORTED. The workflow's own Catch → MarkFailed covers task failures, but not its own timeout,
 * a stop, a failing MarkFailed or a crash of the local stack: this marks that execution's attempt
 * failed the same way (shared/workflow/mark-failed.ts), conditional on the attempt, so an event for
 * an attempt MarkFailed already recorded, or for an older attempt, changes nothing.
 */
export async function handler(event: unknown) {
  const { time, detail } = statusChangeSchema.parse(event);
  const ref = attemptOf(detail.input);
  const code = detail.status === 'FAILED' && detail.error ? detail.error : codes[detail.status];
  const at = detail.stopDate ? new Date(detail.stopDate).toISOString() : (time ?? new Date().toISOString());
  const failure = {
    step: 'workflow',
    code,
    message: failureMessage(detail.cause ?? undefined, `The workflow execution ended ${detail.status}`),
    at,
  };
  logger.warn('campaign workflow execution ended', { execution: detail.executionArn, status: detail.status, ...ref });
  const outcome = await markAttemptFailed(config, ref ?? {}, failure);
  return { execution: detail.name, status: detail.status, ...outcome };
}
