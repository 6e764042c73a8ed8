import { DomainError } from '../core/errors';
import type { Account } from '../schemas/account';
import { periodOf, plans } from './plans';
import type { LimitName, PlanLimits, Tier } from '../schemas/plans';
import type { MonthlyCounter, MonthlyUsage } from './usage';

/** The monthly limits and the usage counter each one is checked against. */
export const MONTHLY_QUOTAS = [
  ['campaignsPerMonth', 'campaignsStarted'],
  ['llmBudgetMicroUsd', 'costMicroUsd'],
  ['imagesPerMonth', 'images'],
  ['regenerationsPerMonth', 'regenerations'],
] as const satisfies readonly (readonly [LimitName, MonthlyCounter])[];

/** 402 QUOTA_EXCEEDED naming the limit, the usage, the limit's value and (monthly limits) when it resets. */
export function quotaExceeded(limit: LimitName, usage: number, limitValue: number, resetsAt?: string): DomainError {
  const when = resetsAt ? `; it resets at ${resetsAt}` : '';
  return new DomainError('QUOTA_EXCEEDED', `The plan's ${limit} limit is ${limitValue}; this needs ${usage}${when}`, {
    limit,
    usage,
    limitValue,
    ...(resetsAt && { resetsAt }),
  });
}

export interface QuotaState {
  tier: Tier;
  usage: MonthlyUsage;
  activeCampaigns: number;
  /** Webhook subscriptions the creator has (the user item's count). */
  webhooks: number;
  /** API keys the creator has (the user item's count). */
  apiKeys: number;
  /** The creator has their own Gemini key stored: their calls run on it, so no LLM budget applies. */
  ownAiKey?: boolean;
  now: Date;
}

/** What a start or a regeneration would add to the month. */
export type Demand = Partial<Record<MonthlyCounter | 'activeCampaigns', number>>;

/**
 * Throws the first limit the demand would cross: usage after the work > the limit. A creator with
 * their own Gemini key is never refused for the LLM budget: their calls run on their key (or the
 * offline provider), never on the platform's.
 */
export function checkQuotas(state: QuotaState, demand: Demand): void {
  const limits = plans[state.tier];
  const { resetsAt } = periodOf(state.now);
  for (const [limit, counter] of MONTHLY_QUOTAS) {
    if (limit === 'llmBudgetMicroUsd' && state.ownAiKey) continue;
    const extra = demand[counter] ?? 0;
    if (extra > 0 && state.usage[counter] + extra > limits[limit])
      throw quotaExceeded(limit, state.usage[counter] + extra, limits[limit], resetsAt);
  }
  const active = demand.activeCampaigns ?? 0;
  if (active > 0 && state.activeCampaigns + active > limits.activeCampaigns) {
    throw quotaExceeded('activeCampaigns', state.activeCampaigns + active, limits.activeCampaigns);
  }
}

/** A plan limit a campaign crosses: the 402's details (what it would use and the limit's value). */
export interface LimitExcess {
  limit: LimitName;
  usage: number;
  limitValue: number;
}

/** What the shape limits look at. */
export interface CampaignShape {
  durationDays?: number;
  platforms?: readonly unknown[];
}

/** The shape limits of one campaign (duration, platforms) it crosses; none when it fits. */
export function campaignShapeExcess(limits: PlanLimits, campaign: CampaignShape): LimitExcess[] {
  const days = campaign.durationDays ?? 0;
  const platforms = campaign.platforms?.length ?? 0;
  return [
    ...(days > limits.maxDurationDays ? [{ limit: 'maxDurationDays' as const, usage: days, limitValue: limits.maxDurationDays }] : []),
    ...(platforms > limits.platformsPerCampaign
      ? [{ limit: 'platformsPerCampaign' as const, usage: platforms, limitValue: limits.platformsPerCampaign }]
      : []),
  ];
}

/** Throws the first shape limit the campaign crosses (402 QUOTA_EXCEEDED). */
export function checkCampaignShape(limits: PlanLimits, campaign: CampaignShape): void {
  const [first] = campaignShapeExcess(limits, campaign);
  if (first) throw quotaExceeded(first.limit, first.usage, first.limitValue);
}

/** The plan's limits for one campaign, as the estimate shows them: whether it fits, and what it crosses. */
export function campaignPlanFit(tier: Tier, campaign: CampaignShape) {
  const limits = plans[tier];
  const exceeded = campaignShapeExcess(limits, campaign);
  return {
    tier,
    maxDurationDays: limits.maxDurationDays,
    platformsPerCampaign: limits.platformsPerCampaign,
    campaignsPerMonth: limits.campaignsPerMonth,
    imagesPerMonth: limits.imagesPerMonth,
    llmBudgetMicroUsd: limits.llmBudgetMicroUsd,
    fits: exceeded.length === 0,
    exceeded,
  };
}

export function accountView(user: { userId: string; email?: string }, state: QuotaState): Account {
  const limits = plans[state.tier];
  const period = periodOf(state.now);
  return {
    userId: user.userId,
    ...(user.email && { email: user.email }),
    tier: state.tier,
    period,
    limits,
    ownAiKey: state.ownAiKey ?? false,
    usage: { ...state.usage, activeCampaigns: state.activeCampaigns, webhooks: state.webhooks, apiKeys: state.apiKeys },
    quotas: [
      ...MONTHLY_QUOTAS.map(([limit, counter]) => ({ limit, used: state.usage[counter], max: limits[limit], resetsAt: period.resetsAt })),
      { limit: 'activeCampaigns', used: state.activeCampaigns, max: limits.activeCampaigns },
      { limit: 'webhooks', used: state.webhooks, max: limits.webhooks },
      { limit: 'apiKeys', used: state.apiKeys, max: limits.apiKeys },
    ],
  };
}
