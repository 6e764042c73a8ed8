import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { applyTransition } from '../../shared/db/campaign-store';
import { schedulePacingEvaluation } from '../../shared/db/pacing-store';
import {
  expectGenerating,
  parseTaskInput,
  readAttempt,
  updateProgress,
  type AttemptRef,
  type WorkflowCampaign,
  replanInputSchema,
} from '../../shared/db/workflow-store';
import { emitCreatorEvent } from '../../shared/events/emit';
import { predictCampaignPosts } from '../../shared/workflow/predict';
import { logger } from '../../shared/core/logger';
import { parseWeekOutcomes, weeksFailure } from '../../shared/workflow/weeks';
import { finalizeReplan } from '../../shared/workflow/replan-finalize';

const postsTotalOf = (input: unknown) => z.object({ postsTotal: z.number().check(z.int(), z.gte(0)) }).safeParse(input).data?.postsTotal;

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);
const { TABLE_NAME } = config;

/**
 * `campaign.generated`, by the call that moved the campaign to in_progress. The campaign is ready
 * whatever happens to the notice, so a failure to emit is logged, not thrown.
 */
async function announceReady(ref: AttemptRef, campaign: WorkflowCampaign, postsTotal: number) {
  const occurredAt = String(campaign.updatedAt);
  const event = {
    type: 'campaign.generated' as const,
    userId: ref.userId,
    campaignId: ref.campaignId,
    occurredAt,
    data: { campaignName: campaign.name, attempt: ref.attempt, postsTotal },
    dedupeKey: `campaign.generated#${ref.campaignId}#${ref.attempt}`,
  };
  await emitCreatorEvent(config, event).catch((error: unknown) => logger.error('could not announce the campaign', { error }));
}

/**
 * Last workflow task, with the Planner's `postsTotal` and the Weeks Map's results (`$.weeks`). Every week ready (each indexed its
 * own due posts): moves the campaign to in_progress. A week failed: records the failed weeks and
 * returns the first one's `failedStep` and `error` for MarkFailed, the ready weeks staying as they
 * are; otherwise predicts each post's score (shared/workflow/predict.ts). A campaign this attempt has already finalized is a successful no-op.
 * In re-plan mode (`replan` in the input): shared/workflow/replan-finalize.ts.
 */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  const replan = replanInputSchema.safeParse(input);
  if (replan.success) return finalizeReplan(config, { ...(input as object), ...replan.data }, new Date().toISOString());
  const campaign = await readAttempt(TABLE_NAME, ref);
  // The Planner's count, which the state carries.
  const postsTotal = postsTotalOf(input) ?? campaign.progress?.postsTotal ?? 0;
  if (campaign.status === 'in_progress') {
    logger.info('already finalized');
    return { ...ref, postsTotal };
  }
  const { version } = expectGenerating(campaign);
  const failure = weeksFailure(parseWeekOutcomes(input), campaign.progress?.weeksReady ?? []);
  const now = new Date().toISOString();
  if (failure) {
    await updateProgress(TABLE_NAME, ref, { weeksFailed: failure.weeks }, now);
    logger.warn('weeks failed', { weeks: failure.weeks });
    return { ...ref, failedStep: failure.failedStep, error: failure.error };
  }
  logger.info('posts predicted', await predictCampaignPosts(TABLE_NAME, ref, now));
  // From in_progress on, the pacing is also evaluated daily, new numbers or not (evaluateDailyPacing, shared/app/pacing.ts).
  await schedulePacingEvaluation(TABLE_NAME, ref.userId, ref.campaignId, now);
  const finalized = await applyTransition(TABLE_NAME, ref.userId, ref.campaignId, 'finishGeneration', {
    // A retry since the read bumped the version: this attempt must not finish the next one.
    expectedVersion: version,
    // Keeps what the other tasks recorded (models, critique rounds, batches, weeks).
    set: { progress: { ...campaign.progress, step: 'ready', postsTotal, postsDone: postsTotal } },
    now,
  });
  logger.info('campaign ready', { postsTotal });
  await announceReady(ref, finalized, postsTotal);
  return { ...ref, postsTotal };
}
