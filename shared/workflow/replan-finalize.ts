import { logger } from '../core/logger';
import { mapLimited } from '../db/concurrency';
import { completeReplanChanges, finishReplan, revertReplanMark } from '../db/replan-store';
import { queryContent } from '../db/workflow-content-store';
import { markWeekReady, readCampaign, type ReplanInput } from '../db/workflow-store';
import { hookOf } from '../domain/platform-rules';
import { unwrittenByReplan } from '../domain/replan';
import { emitCreatorEvent, type EmitterConfig } from '../events/emit';
import { failureMessage } from './mark-failed';
import { parseWeekOutcomes, weeksFailure } from './weeks';
import { weekOf } from './batch';
import { WRITE_CONCURRENCY } from './stages/common';

/**
 * Finalize in re-plan mode, with the Weeks Map's results: the re-plan succeeded when every week
 * is ready, else it failed with the first failed week's step and error (endReplan). The campaign
 * stays in_progress either way: a re-plan never fails the campaign.
 */
export async function finalizeReplan(config: EmitterConfig, input: ReplanInput & { weeks?: unknown }, now: string) {
  const failure = weeksFailure(parseWeekOutcomes(input), []);
  const failed = failure && { code: failure.error.Error, message: failureMessage(failure.error.Cause, failure.error.Error) };
  const changed = await endReplan(config, input, failed, now);
  return { ...input, postsTotal: changed };
}

/**
 * A re-plan's end, from Finalize or MarkFailed (a stage failed as a whole). A failed re-plan gives
 * the posts its writer never reached their slot back as it was (pillar, format, time, out of the
 * diff: their old text would not match the new ones) and puts its rewritten posts that are not
 * ready back into the due index as they stand, so none misses its slot. Each rewritten post's
 * title and hook go into the diff; the re-plan item records the outcome, the campaign is free for
 * the next one, and `campaign.replanned` says so. Returns the posts changed.
 */
export async function endReplan(
  config: EmitterConfig,
  input: ReplanInput,
  failure: { code: string; message: string } | undefined,
  now: string,
): Promise<number> {
  const { replan: n, ...ref } = input;
  const table = config.TABLE_NAME;
  const marked = (await queryContent(table, ref, 1, 90)).filter((item) => item.replan === n);
  const unwritten = failure
    ? marked.filter((item) => unwrittenByReplan({ ...item, hook: hookOf(item), before: item.replanBefore }, n))
    : [];
  await mapLimited(unwritten, WRITE_CONCURRENCY, (item) => revertReplanMark(table, ref, item, item.replanBefore!, n, now));
  const rewritten = marked.filter((item) => !unwritten.includes(item));
  const weeks = [...new Set(rewritten.map((item) => weekOf(item.day)))].sort((a, b) => a - b);
  if (failure) {
    for (const week of new Set(rewritten.filter((item) => !item.readyAt).map((item) => weekOf(item.day))))
      await markWeekReady(table, ref, week, now, n);
  }
  await completeReplanChanges(
    table,
    ref,
    n,
    rewritten.map((item) => ({ day: item.day, platform: item.platform, title: item.title, hook: hookOf(item) })),
  );
  const status = failure ? ('failed' as const) : ('succeeded' as const);
  if (!(await finishReplan(table, ref, n, { status, changed: rewritten.length, ...(failure && { failure }), now }))) {
    logger.info('re-plan already ended', { n });
    return rewritten.length;
  }
  logger.info('re-plan ended', { n, status, changed: rewritten.length, weeks, failure });
  const campaign = await readCampaign(table, ref.userId, ref.campaignId);
  await emitCreatorEvent(config, {
    type: 'campaign.replanned',
    userId: ref.userId,
    campaignId: ref.campaignId,
    occurredAt: now,
    data: {
      campaignName: campaign.name,
      n,
      status,
      changed: rewritten.length,
      weeks,
      diff: `GET /campaigns/${ref.campaignId}/replans/${n}`,
      ...(failure && { message: failure.message }),
    },
    dedupeKey: `campaign.replanned#${ref.campaignId}#${n}`,
  }).catch((error: unknown) => logger.error('could not announce the re-plan', { error }));
  return rewritten.length;
}
