import * as z from 'zod';
import { platformSchema } from './common';
import { postScoreSchema } from './scores';

export const engagementSchema = z
  .object({
    views: z.number(),
    likes: z.number(),
    comments: z.number(),
    shares: z.number(),
    saves: z.number(),
    followersGained: z.number(),
    clicks: z.number(),
    watchTimeSeconds: z.number(),
  })
  .meta({ id: 'Engagement' });
export type Engagement = z.infer<typeof engagementSchema>;

export const campaignStatsSchema = z
  .object({
    campaignId: z.uuid(),
    status: z.string(),
    posts: z.object({ planned: z.number().int(), approved: z.number().int(), rejected: z.number().int(), posted: z.number().int() }),
    engagement: engagementSchema.meta({ description: 'Totals from confirmed posts (latest reported metrics)' }),
    scores: z
      .array(z.object({ day: z.number().int(), platform: platformSchema, score: postScoreSchema }))
      .meta({ description: "Each posted post with metrics, scored against the creator's earlier posts on its platform" }),
    llm: z.object({
      calls: z.number().int(),
      tokensIn: z.number().int(),
      tokensOut: z.number().int(),
      costUsd: z.number(),
      byokCalls: z.number().int().meta({ description: "Calls answered on the creator's own Gemini key: not in calls, tokens or costUsd" }),
    }),
    images: z.number().int(),
    estimated: z
      .object({
        llmCalls: z.number().int(),
        tokensIn: z.number().int(),
        tokensOut: z.number().int(),
        images: z.number().int(),
        costUsd: z.number(),
      })
      .optional()
      .meta({ description: 'The cost dry-run made at start (dearest model of the chain), to compare with the actual figures above' }),
  })
  .meta({ id: 'CampaignStats' });
export type CampaignStats = z.infer<typeof campaignStatsSchema>;
