import { confirmPost, readRunningCampaign } from '../db/execution-store';
import { checkConfirmation } from '../domain/execution';
import type { EmitterConfig } from '../events/emit';
import type { ConfirmDay } from '../schemas/execution';
import { afterNewNumbers } from './new-numbers';

/** POST /campaigns/{id}/confirm-day: the post confirmed (or skipped); with metrics, what new numbers set off (hook styles, pacing). */
export async function confirmDay(config: EmitterConfig, userId: string, campaignId: string, body: ConfirmDay, now: Date) {
  const table = config.TABLE_NAME;
  const campaign = await readRunningCampaign(table, userId, campaignId);
  checkConfirmation(campaign, body, now);
  const execution = await confirmPost(table, userId, campaign, body, now.toISOString());
  if (body.metrics) await afterNewNumbers(config, { campaigns: [{ userId, campaignId }] }, now);
  return execution;
}
