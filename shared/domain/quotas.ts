import { DomainError } from '../errors';
import type { Account } from '../schemas/account';
import { periodOf, plans, type LimitName, type PlanLimits, type Tier } from './plans';
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
    if (extra > 0 && state.usage[counter] + extra > limits[limit]) throw quotaExceeded(limit, state.usage[counter] + extra, limits[limit], resetsAt);
  }
  const active = demand.activeCampaigns ?? 0;
  if (active > 0 && state.activeCampaigns + active > limits.activeCampaigns) {
    throw quotaExceeded('activeCampaigns', state.activeCampaigns + active, limits.activeCampaigns);
  }
}

/** The shape limits of one campaign: duration and platforms. */
export function checkCampaignShape(limits: PlanLimits, campaign: { durationDays?: number; platforms?: unknown[] }): void {
  const days = campaign.durationDays ?? 0;
  if (days > limits.maxDurationDays) throw quotaExceeded('maxDurationDays', days, limits.maxDurationDays);
  const platforms = campaign.platforms?.length ?? 0;
  if (platforms > limits.platformsPerCampaign) throw quotaExceeded('platformsPerCampaign', platforms, limits.platformsPerCampaign);
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
