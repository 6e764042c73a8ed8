import * as z from './zod';
import { platformSchema } from './common';
import { postScoreSchema } from './scores';

export const engagementSchema = z.withMeta(
  z.object({
    views: z.number(),
    likes: z.number(),
    comments: z.number(),
    shares: z.number(),
    saves: z.number(),
    followersGained: z.number(),
    clicks: z.number(),
    watchTimeSeconds: z.number(),
  }),
  { id: 'Engagement' },
);
export type Engagement = z.infer<typeof engagementSchema>;

export const campaignStatsSchema = z.withMeta(
  z.object({
    campaignId: z.uuid(),
    status: z.string(),
    posts: z.object({
      planned: z.number().check(z.int()),
      approved: z.number().check(z.int()),
      rejected: z.number().check(z.int()),
      posted: z.number().check(z.int()),
    }),
    engagement: z.withMeta(engagementSchema, { description: 'Totals from confirmed posts (latest reported metrics)' }),
    scores: z.withMeta(z.array(z.object({ day: z.number().check(z.int()), platform: platformSchema, score: postScoreSchema })), {
      description: "Each posted post with metrics, scored against the creator's earlier posts on its platform",
    }),
    llm: z.object({
      calls: z.number().check(z.int()),
      tokensIn: z.number().check(z.int()),
      tokensOut: z.number().check(z.int()),
      costUsd: z.number(),
      byokCalls: z.withMeta(z.number().check(z.int()), {
        description: "Calls answered on the creator's own Gemini key: not in calls, tokens or costUsd",
      }),
    }),
    images: z.number().check(z.int()),
    estimated: z.withMeta(
      z.optional(
        z.object({
          llmCalls: z.number().check(z.int()),
          tokensIn: z.number().check(z.int()),
          tokensOut: z.number().check(z.int()),
          images: z.number().check(z.int()),
          costUsd: z.number(),
        }),
      ),
      { description: 'The cost dry-run made at start (dearest model of the chain), to compare with the actual figures above' },
    ),
  }),
  { id: 'CampaignStats' },
);
export type CampaignStats = z.infer<typeof campaignStatsSchema>;
