import { readConfig } from '../../shared/core/config';
import { beginProgress, expectGenerating, parseTaskInput, readAttempt } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/**
 * First workflow task: checks that the campaign exists, is generating and is on this attempt (a
 * stale attempt touches nothing), starts this attempt's progress and the usage counters, and passes on the few small fields later tasks
 * branch on. The state carries ids and small fields only; the tasks read everything else from the table.
 */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  const campaign = expectGenerating(await readAttempt(TABLE_NAME, ref));
  await beginProgress(TABLE_NAME, ref, { step: 'context' }, new Date().toISOString());
  logger.info('context loaded');
  return { ...ref, timeZone: campaign.profileSnapshot?.timeZone, durationDays: campaign.durationDays };
}
