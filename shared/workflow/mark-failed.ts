import type { Config } from '../core/config';
import { recordFailure, type AttemptRef } from '../db/workflow-store';
import { emitCreatorEvent } from '../events/emit';
import { logger } from '../core/logger';
import type { Campaign } from '../schemas/campaign';

type Failure = NonNullable<Campaign['failure']>;
type MarkFailedConfig = Pick<Config, 'TABLE_NAME' | 'EVENT_BUS_NAME' | 'WEBHOOK_DELIVERY_FUNCTION_NAME'>;

/** A Lambda error's Cause is the JSON `{ errorType, errorMessage, trace }`; other causes are plain text. */
export function failureMessage(cause: string | undefined, code: string): string {
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
 * Marks one attempt of a campaign failed and announces it (`campaign.failed`), for the workflow's
 * MarkFailed task and for the execution status-change rule alike. Conditional on that attempt
 * still generating (shared/db/workflow-store.ts `recordFailure`): a late or repeated call for an
 * attempt already failed, finished or replaced changes nothing and announces nothing, so the
 * campaign is failed and announced once whichever of them comes first.
 */
export async function markAttemptFailed(config: MarkFailedConfig, ref: Partial<AttemptRef>, failure: Failure) {
  const { userId, campaignId, attempt } = ref;
  const notRecorded =
    userId && campaignId && attempt !== undefined
      ? await recordFailure(config.TABLE_NAME, { userId, campaignId, attempt }, failure)
      : 'the workflow input has no valid campaign reference';
  if (notRecorded) {
    logger.warn('campaign not marked failed', { reason: notRecorded, campaignId, attempt });
    return { recorded: false, reason: notRecorded };
  }
  // Only the call that recorded the failure announces it; a failed notice must not hide the failure.
  const event = {
    type: 'campaign.failed' as const,
    userId: userId!,
    campaignId,
    occurredAt: failure.at,
    data: { attempt, ...failure },
    dedupeKey: `campaign.failed#${campaignId}#${attempt}`,
  };
  await emitCreatorEvent(config, event).catch((emitError: unknown) => logger.error('could not announce the failure', { error: emitError }));
  return { recorded: true };
}
