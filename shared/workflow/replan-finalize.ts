import { logger } from '../core/logger';
import { completeReplanChanges, finishReplan } from '../db/replan-store';
import { queryContent } from '../db/workflow-content-store';
import { markWeekReady, readCampaign } from '../db/workflow-store';
import { hookOf } from '../domain/platform-rules';
import { emitCreatorEvent, type EmitterConfig } from '../events/emit';
import { failureMessage } from './mark-failed';
import type { ReplanInput } from './stages/replan-planner';
import { parseWeekOutcomes, weeksFailure } from './weeks';
import { weekOf } from './batch';

/**
 * Finalize in re-plan mode, with the Weeks Map's results: records each changed post's new title
 * and hook in the diff, then the re-plan's outcome (succeeded, or failed with the first failed
 * week's error), frees the campaign for the next re-plan and announces `campaign.replanned`. A
 * failed week's posts go back into the due index as they stand, so none misses its slot. The
 * campaign stays in_progress either way: a re-plan never fails the campaign.
 */
export async function finalizeReplan(config: EmitterConfig, input: ReplanInput & { weeks?: unknown }, now: string) {
  const { replan: n, ...ref } = input;
  const table = config.TABLE_NAME;
  const rewritten = (await queryContent(table, ref, 1, 90)).filter((item) => item.replan === n);
  const failure = weeksFailure(parseWeekOutcomes(input), []);
  for (const week of failure?.weeks ?? []) await markWeekReady(table, ref, week, now, n);
  await completeReplanChanges(
    table,
    ref,
    n,
    rewritten.map((item) => ({ day: item.day, platform: item.platform, title: item.title, hook: hookOf(item) })),
  );
  const outcome = failure
    ? {
        status: 'failed' as const,
        failure: { code: failure.error.Error, message: failureMessage(failure.error.Cause, failure.error.Error) },
      }
    : { status: 'succeeded' as const };
  const finished = await finishReplan(table, ref, n, { ...outcome, changed: rewritten.length, now });
  if (!finished) {
    logger.info('re-plan already finalized', { n });
    return { ...input, postsTotal: rewritten.length };
  }
  logger.info('re-plan finished', { n, status: outcome.status, changed: rewritten.length, failedWeeks: failure?.weeks });
  const campaign = await readCampaign(table, ref.userId, ref.campaignId);
  await emitCreatorEvent(config, {
    type: 'campaign.replanned',
    userId: ref.userId,
    campaignId: ref.campaignId,
    occurredAt: now,
    data: {
      campaignName: campaign.name,
      n,
      status: outcome.status,
      changed: rewritten.length,
      weeks: [...new Set(rewritten.map((item) => weekOf(item.day)))].sort((a, b) => a - b),
      diff: `GET /campaigns/${ref.campaignId}/replans/${n}`,
      ...(outcome.failure && { message: outcome.failure.message }),
    },
    dedupeKey: `campaign.replanned#${ref.campaignId}#${n}`,
  }).catch((error: unknown) => logger.error('could not announce the re-plan', { error }));
  return { ...input, postsTotal: rewritten.length };
}
