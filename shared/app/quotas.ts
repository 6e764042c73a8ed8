import { creatorModels, platformModels } from '../ai/chain';
import { readAiConfig } from '../ai/config';
import { addUsage, readQuotaState, readUser, reserveUsage } from '../db/account-store';
import { hasAiKey } from '../db/ai-key-store';
import { estimateCampaign, estimateReplan, type CampaignEstimate, type EstimateInput, type GenerationChain } from '../domain/estimate';
import type { CalendarPost } from '../domain/schedule';
import { periodOf, plans } from '../domain/plans';
import { campaignPlanFit, checkCampaignShape, checkQuotas, quotaExceeded, type CampaignShape, type QuotaState } from '../domain/quotas';
import { DomainError } from '../core/errors';
import { missingOnboardingFields } from '../domain/campaign';
import { readImageSettings } from '../media/images/config';

/**
 * Quotas are checked before work starts: a campaign start and a regeneration read the creator's
 * tier, month and active campaigns, refuse with 402 QUOTA_EXCEEDED what would cross a limit, and
 * count their unit of the month.
 */

/** The dry-run of a campaign with the plan's limits for it: what POST …/estimate answers and a start stores. */
export type CampaignEstimateView = CampaignEstimate & { planLimits: ReturnType<typeof campaignPlanFit> };

/**
 * The dry-run of a campaign as configured, priced on the chain that will run it: the creator's
 * own Gemini key when they stored one, else the platform's chain as the LLM layer resolves it
 * (LLM_MODELS, else the Gemini models with a key, `offline` without), and the image provider.
 */
export function campaignEstimate(campaign: Record<string, unknown>, state: Pick<QuotaState, 'tier' | 'ownAiKey'>): CampaignEstimateView {
  const missing = missingOnboardingFields(campaign);
  if (missing.length > 0) {
    throw new DomainError('ONBOARDING_INCOMPLETE', `The campaign cannot be estimated before it has ${missing.join(', ')}`, {
      missingFields: missing,
    });
  }
  const shape = campaign as unknown as EstimateInput;
  return { ...estimateCampaign(shape, generationChain(state.ownAiKey ?? false)), planLimits: campaignPlanFit(state.tier, shape) };
}

function generationChain(ownAiKey: boolean): GenerationChain {
  const config = readAiConfig();
  const models = ownAiKey ? creatorModels(config.models) : platformModels(config.models, Boolean(config.apiKey ?? config.apiKeySecretArn));
  return { models, keySource: ownAiKey ? 'creator' : 'platform', imageProvider: imageProvider() };
}

/** POST /campaigns/{id}/estimate: the creator's key and tier decide the chain and the limits shown. */
export async function estimateForCreator(table: string, userId: string, campaign: Record<string, unknown>): Promise<CampaignEstimateView> {
  const [user, ownAiKey] = await Promise.all([readUser(table, userId), hasAiKey(table, userId)]);
  return campaignEstimate(campaign, { tier: user.tier, ownAiKey });
}

/**
 * The plan's shape limits (duration, platforms) checked while a campaign is set up, so a creator
 * learns them before the start: 402 QUOTA_EXCEEDED, as the start answers, before anything is
 * written. The start checks them again (the tier may change in between).
 */
export async function admitCampaignShape(table: string, userId: string, campaign: CampaignShape): Promise<void> {
  if (campaign.durationDays === undefined && campaign.platforms === undefined) return;
  checkCampaignShape(plans[(await readUser(table, userId)).tier], campaign);
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
export async function admitCampaignStart(
  table: string,
  userId: string,
  campaign: Record<string, unknown>,
  now: Date,
): Promise<CampaignEstimateView> {
  const { state } = await readQuotaState(table, userId, now);
  checkCampaignShape(plans[state.tier], campaign as CampaignShape);
  const estimate = campaignEstimate(campaign, state);
  // At least 1: a month whose LLM budget is spent refuses a start, even of a campaign priced at 0 (as a regeneration).
  checkQuotas(state, {
    campaignsStarted: 1,
    activeCampaigns: 1,
    costMicroUsd: Math.max(1, estimate.worstCase.costMicroUsd),
    images: estimate.images,
  });
  return estimate;
}

/**
 * A re-plan's dry-run on the creator's chain (POST …/replan/estimate), with the plan's limits for
 * the campaign: the open posts' rewrite (shared/domain/estimate.ts estimateReplan).
 */
export async function replanEstimateForCreator(
  table: string,
  userId: string,
  campaign: Record<string, unknown>,
  openPosts: readonly CalendarPost[],
): Promise<CampaignEstimateView> {
  const [user, ownAiKey] = await Promise.all([readUser(table, userId), hasAiKey(table, userId)]);
  return replanEstimate(campaign, openPosts, { tier: user.tier, ownAiKey });
}

function replanEstimate(
  campaign: Record<string, unknown>,
  openPosts: readonly CalendarPost[],
  state: Pick<QuotaState, 'tier' | 'ownAiKey'>,
): CampaignEstimateView {
  const shape = campaign as unknown as EstimateInput;
  return {
    ...estimateReplan(openPosts, shape.agentConfig, generationChain(state.ownAiKey ?? false)),
    planLimits: campaignPlanFit(state.tier, shape),
  };
}

/**
 * A re-plan is checked as a start is for money (its worst case within the month's LLM budget,
 * its images within the month's images; 402 QUOTA_EXCEEDED), but it is no new campaign: it
 * counts no start and takes no active slot. What it spends is metered as it runs.
 */
export async function admitReplan(
  table: string,
  userId: string,
  campaign: Record<string, unknown>,
  openPosts: readonly CalendarPost[],
  now: Date,
): Promise<CampaignEstimateView> {
  const { state } = await readQuotaState(table, userId, now, false);
  const estimate = replanEstimate(campaign, openPosts, state);
  checkQuotas(state, { costMicroUsd: Math.max(1, estimate.worstCase.costMicroUsd), images: estimate.images });
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
