import { tierSchema, type Tier, type PlanLimits } from '../schemas/plans';

/**
 * The plan tiers, as data: every limit the API enforces lives here and nowhere else. Billing is
 * out of scope: a tier changes only through PATCH /account/plan (admin).
 *
 * - campaignsPerMonth: campaign starts per calendar month (UTC); a retry is not a new start.
 * - activeCampaigns: campaigns generating or in progress at once.
 * - maxDurationDays / platformsPerCampaign: the shape of one campaign.
 * - llmBudgetMicroUsd: LLM and image spend per month, in micro-dollars (the price table's unit);
 *   a start is refused when its dry-run estimate would cross it.
 * - imagesPerMonth, regenerationsPerMonth: per calendar month.
 * - requestsPerMinute: the per-user rate limit of every authenticated route.
 * - webhooks: outgoing webhook subscriptions.
 * - apiKeys: API keys for integrations at once (revoked keys do not count).
 */

export const DEFAULT_TIER: Tier = 'free';

export const plans: Record<Tier, PlanLimits> = {
  // Generous enough for the sample campaign of `npm run demo` (14 days, 3 platforms) and for a
  // client polling a generation's progress a few times a second.
  free: {
    campaignsPerMonth: 5,
    activeCampaigns: 3,
    maxDurationDays: 30,
    platformsPerCampaign: 3,
    llmBudgetMicroUsd: 2_000_000,
    imagesPerMonth: 200,
    regenerationsPerMonth: 20,
    requestsPerMinute: 600,
    webhooks: 1,
    apiKeys: 2,
  },
  pro: {
    campaignsPerMonth: 30,
    activeCampaigns: 10,
    maxDurationDays: 60,
    platformsPerCampaign: 5,
    llmBudgetMicroUsd: 25_000_000,
    imagesPerMonth: 2_000,
    regenerationsPerMonth: 300,
    requestsPerMinute: 1_200,
    webhooks: 5,
    apiKeys: 10,
  },
  enterprise: {
    campaignsPerMonth: 300,
    activeCampaigns: 100,
    maxDurationDays: 90,
    platformsPerCampaign: 8,
    llmBudgetMicroUsd: 250_000_000,
    imagesPerMonth: 20_000,
    regenerationsPerMonth: 3_000,
    requestsPerMinute: 6_000,
    webhooks: 50,
    apiKeys: 50,
  },
};

/** A stored tier that is not (or no longer) a known one counts as the default. */
export function tierOf(value: unknown): Tier {
  const parsed = tierSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_TIER;
}

/** The usage period: the calendar month (UTC) of `at`, `yyyy-mm`, and when the next one starts. */
export function periodOf(at: Date): { month: string; start: string; resetsAt: string } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const next = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { month: start.toISOString().slice(0, 7), start: start.toISOString(), resetsAt: next.toISOString() };
}
