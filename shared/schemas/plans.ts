import * as z from 'zod';

/** The plan tiers and the limits each grants (the values per tier: shared/domain/plans.ts). */
export const tiers = ['free', 'pro', 'enterprise'] as const;
export const tierSchema = z.enum(tiers).meta({ id: 'Tier' });
export type Tier = z.infer<typeof tierSchema>;
export const planLimitsSchema = z
  .object({
    campaignsPerMonth: z.number().int(),
    activeCampaigns: z.number().int(),
    maxDurationDays: z.number().int(),
    platformsPerCampaign: z.number().int(),
    llmBudgetMicroUsd: z.number().int(),
    imagesPerMonth: z.number().int(),
    regenerationsPerMonth: z.number().int(),
    requestsPerMinute: z.number().int(),
    webhooks: z.number().int(),
    apiKeys: z.number().int(),
  })
  .meta({ id: 'PlanLimits' });
export type PlanLimits = z.infer<typeof planLimitsSchema>;
export type LimitName = keyof PlanLimits;
