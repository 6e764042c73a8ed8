import { readConfig } from '../../shared/config';
import { applyTransition } from '../../shared/db/campaign-store';
import { expectGenerating, indexDuePosts, parseTaskInput, readAttempt } from '../../shared/db/workflow-store';
import { logger } from '../../shared/logger';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/**
 * Last workflow task: puts every content item into the due-post index and moves the campaign to
 * in_progress. A campaign this attempt has already finalized is a successful no-op.
 */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  const campaign = await readAttempt(TABLE_NAME, ref);
  if (campaign.status === 'in_progress') {
    logger.info('already finalized');
    return { ...ref, postsTotal: campaign.progress?.postsTotal ?? 0 };
  }
  const { version } = expectGenerating(campaign);
  const postsTotal = await indexDuePosts(TABLE_NAME, ref);
  await applyTransition(TABLE_NAME, ref.userId, ref.campaignId, 'finishGeneration', {
    // A retry since the read bumped the version: this attempt must not finish the next one.
    expectedVersion: version,
    // Keeps what the other tasks recorded (models, critique rounds, batches).
    set: { progress: { ...campaign.progress, step: 'ready', postsTotal, postsDone: postsTotal } },
    now: new Date().toISOString(),
  });
  logger.info('campaign ready', { postsTotal });
  return { ...ref, postsTotal };
}
