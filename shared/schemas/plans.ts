import * as z from './zod';

/** The plan tiers and the limits each grants (the values per tier: shared/domain/plans.ts). */
export const tiers = ['free', 'pro', 'enterprise'] as const;
export const tierSchema = z.withMeta(z.enum(tiers), { id: 'Tier' });
export type Tier = z.infer<typeof tierSchema>;
export const planLimitsSchema = z.withMeta(
  z.object({
    campaignsPerMonth: z.number().check(z.int()),
    activeCampaigns: z.number().check(z.int()),
    maxDurationDays: z.number().check(z.int()),
    platformsPerCampaign: z.number().check(z.int()),
    llmBudgetMicroUsd: z.number().check(z.int()),
    imagesPerMonth: z.number().check(z.int()),
    regenerationsPerMonth: z.number().check(z.int()),
    requestsPerMinute: z.number().check(z.int()),
    webhooks: z.number().check(z.int()),
    apiKeys: z.number().check(z.int()),
  }),
  { id: 'PlanLimits' },
);
export type PlanLimits = z.infer<typeof planLimitsSchema>;
export type LimitName = keyof PlanLimits;
