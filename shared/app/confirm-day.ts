import { confirmPost, readRunningCampaign } from '../db/execution-store';
import { checkConfirmation } from '../domain/execution';
import type { ConfirmDay } from '../schemas/execution';
import { adaptHookStyles } from './hook-experiment';

/** POST /campaigns/{id}/confirm-day: the post confirmed (or skipped); with metrics, the hook style experiment adapts. */
export async function confirmDay(table: string, userId: string, campaignId: string, body: ConfirmDay, now: Date) {
  const campaign = await readRunningCampaign(table, userId, campaignId);
  checkConfirmation(campaign, body, now);
  const execution = await confirmPost(table, userId, campaign, body, now.toISOString());
  if (body.metrics) await adaptHookStyles(table, userId, campaignId, now.toISOString());
  return execution;
}
