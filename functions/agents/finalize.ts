import { readConfig } from '../../shared/core/config';
import { applyTransition } from '../../shared/db/campaign-store';
import {
  expectGenerating,
  indexDuePosts,
  parseTaskInput,
  readAttempt,
  type AttemptRef,
  type WorkflowCampaign,
} from '../../shared/db/workflow-store';
import { emitCreatorEvent } from '../../shared/events/emit';
import { predictCampaignPosts } from '../../shared/workflow/predict';
import { logger } from '../../shared/core/logger';

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
 * Last workflow task: puts every content item into the due-post index, predicts each post's score
 * (shared/workflow/predict.ts) and moves the campaign to in_progress. A campaign this attempt has already finalized is a successful no-op.
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
  logger.info('posts predicted', await predictCampaignPosts(TABLE_NAME, ref, new Date().toISOString()));
  const finalized = await applyTransition(TABLE_NAME, ref.userId, ref.campaignId, 'finishGeneration', {
    // A retry since the read bumped the version: this attempt must not finish the next one.
    expectedVersion: version,
    // Keeps what the other tasks recorded (models, critique rounds, batches).
    set: { progress: { ...campaign.progress, step: 'ready', postsTotal, postsDone: postsTotal } },
    now: new Date().toISOString(),
  });
  logger.info('campaign ready', { postsTotal });
  await announceReady(ref, finalized, postsTotal);
  return { ...ref, postsTotal };
}
