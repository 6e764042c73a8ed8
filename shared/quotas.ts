import { readAiConfig } from './ai/config';
import { addUsage, readQuotaState, reserveUsage } from './db/account-store';
import { estimateCampaign, estimateModels, type CampaignEstimate, type EstimateInput } from './domain/estimate';
import { periodOf, plans } from './domain/plans';
import { checkCampaignShape, checkQuotas, quotaExceeded } from './domain/quotas';
import { DomainError } from './errors';
import { missingOnboardingFields } from './domain/campaign';
import { readImageSettings } from './media/images/config';

/**
 * Quotas are checked before work starts: a campaign start and a regeneration read the creator's
 * tier, month and active campaigns, refuse with 402 QUOTA_EXCEEDED what would cross a limit, and
 * count their unit of the month.
 */

/** The dry-run of a campaign as configured, priced on the configured chain and image provider. */
export function campaignEstimate(campaign: Record<string, unknown>): CampaignEstimate {
  const missing = missingOnboardingFields(campaign);
  if (missing.length > 0) {
    throw new DomainError('ONBOARDING_INCOMPLETE', `The campaign cannot be estimated before it has ${missing.join(', ')}`, { missingFields: missing });
  }
  const { models } = readAiConfig();
  return estimateCampaign({ ...(campaign as unknown as EstimateInput), imageProvider: imageProvider() }, estimateModels(models?.join(',')));
}

/** An invalid image setting fails the thumbnail stage, not the estimate: it is priced like the dearest provider. */
function imageProvider(): string {
  try {
    return readImageSettings().provider;
  } catch {
    return 'unknown';
  }
}

export interface Reservation {
  release(): Promise<void>;
}

/**
 * A start is checked here, before the transition, and counted after it (countCampaignStart): of
 * concurrent starts of one campaign only the transition's winner counts. Concurrent starts of
 * different campaigns may pass the same last unit; the month then ends a few starts over.
 */
export async function admitCampaignStart(table: string, userId: string, campaign: Record<string, unknown>, now: Date): Promise<CampaignEstimate> {
  const { state } = await readQuotaState(table, userId, now);
  checkCampaignShape(plans[state.tier], campaign as { durationDays?: number; platforms?: unknown[] });
  const estimate = campaignEstimate(campaign);
  checkQuotas(state, { campaignsStarted: 1, activeCampaigns: 1, costMicroUsd: estimate.worstCase.costMicroUsd, images: estimate.images });
  return estimate;
}

export function countCampaignStart(table: string, userId: string, now: Date): Promise<void> {
  return addUsage(table, userId, periodOf(now).month, 'campaignsStarted', 1);
}

/** A regeneration: one writer and one critic call and one image. */
export async function admitRegeneration(table: string, userId: string, now: Date): Promise<Reservation> {
  const { state } = await readQuotaState(table, userId, now, false);
  const limits = plans[state.tier];
  // `costMicroUsd: 1`: a month whose LLM budget is spent refuses any further call.
  checkQuotas(state, { regenerations: 1, images: 1, costMicroUsd: 1 });
  const { month, resetsAt } = periodOf(now);
  if (!(await reserveUsage(table, userId, month, 'regenerations', 1, limits.regenerationsPerMonth))) {
    throw quotaExceeded('regenerationsPerMonth', limits.regenerationsPerMonth + 1, limits.regenerationsPerMonth, resetsAt);
  }
  return { release: () => addUsage(table, userId, month, 'regenerations', -1) };
}

/** A profile analysis (one context-analyzer call): refused once the month's LLM budget is spent. */
export async function admitAnalysis(table: string, userId: string, now: Date): Promise<void> {
  const { state } = await readQuotaState(table, userId, now, false);
  checkQuotas(state, { costMicroUsd: 1 });
}
