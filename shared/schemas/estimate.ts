import * as z from './zod';
import { tierSchema } from './plans';

const count = z.number().check(z.int());

export const estimateSchema = z.withMeta(
  z.object({
    posts: count,
    weeks: count,
    critiqueRounds: z.withMeta(count, { description: 'The most rewrite rounds the campaign allows (agentConfig.maxCritiqueRounds)' }),
    llmCalls: count,
    tokensIn: count,
    tokensOut: count,
    images: count,
    stateTransitions: count,
    llm: z.withMeta(
      z.object({
        chain: z.withMeta(z.array(z.string()), {
          description:
            'The fallback chain that will answer the calls (LLM_MODELS, else the Gemini models with a key, `offline` without; on a creator key the Gemini models)',
        }),
        model: z.withMeta(z.string(), { description: 'The model priced: the dearest of the chain' }),
        keySource: z.withMeta(z.enum(['platform', 'creator']), {
          description: "`creator`: the calls run on the creator's own Gemini key, billed to the creator by Google, not in costMicroUsd",
        }),
        costMicroUsd: z.withMeta(count, { description: "The calls' cost at the priced model's list price" }),
      }),
      { description: 'The LLM chain the estimate priced' },
    ),
    thumbnails: z.withMeta(z.object({ provider: z.withMeta(z.string(), { description: 'IMAGE_PROVIDER' }), costMicroUsd: count }), {
      description: 'The image provider the estimate priced',
    }),
    perModel: z.withMeta(z.array(z.object({ model: z.string(), costMicroUsd: count, costUsd: z.number() })), {
      description: "The LLM calls' cost if every call were answered by that model of the chain",
    }),
    stateTransitionsCostMicroUsd: z.withMeta(count, {
      description: "Step Functions' price of the state transitions (the platform's infrastructure, not in costMicroUsd)",
    }),
    costMicroUsd: z.withMeta(count, {
      description:
        "What the run will meter as its cost (stats' llm.costUsd, the month's LLM budget): LLM calls on the platform's key at the priced model, and images; 0 on the offline chain",
    }),
    costUsd: z.number(),
    worstCase: z.withMeta(z.object({ llmCalls: count, tokensIn: count, tokensOut: count, costMicroUsd: count }), {
      description: 'Every critique round rewriting every post: what the start checks against the monthly LLM budget',
    }),
    planLimits: z.withMeta(
      z.object({
        tier: tierSchema,
        maxDurationDays: count,
        platformsPerCampaign: count,
        campaignsPerMonth: count,
        imagesPerMonth: count,
        llmBudgetMicroUsd: count,
        fits: z.withMeta(z.boolean(), {
          description: "The campaign's duration and platforms fit the plan (the start also checks the month's quotas)",
        }),
        exceeded: z.withMeta(z.array(z.object({ limit: z.string(), usage: count, limitValue: count })), {
          description: 'The limits it crosses, with the details a start would answer 402 QUOTA_EXCEEDED with',
        }),
      }),
      { description: "The creator's plan limits for this campaign" },
    ),
  }),
  { id: 'CampaignEstimate' },
);
