import * as z from 'zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { metricFields } from './execution';
import { findingSchema } from './findings';
import { postScoreSchema } from './scores';
import { hookStyles } from './vocabulary';

/** Sums of the latest metrics of the posted posts, plus engagement (likes + comments + shares + saves). */
export const metricTotalsSchema = z
  .object({
    ...(Object.fromEntries(metricFields.map((field) => [field, z.number()])) as Record<(typeof metricFields)[number], z.ZodNumber>),
    engagement: z.number(),
  })
  .meta({ id: 'MetricTotals' });
export type MetricTotals = z.infer<typeof metricTotalsSchema>;

export const goalResultSchema = z
  .object({
    type: z.string(),
    metric: z.string(),
    target: z.number(),
    baseline: z.number().optional(),
    reached: z.number().optional().meta({ description: 'baseline + achieved' }),
    basis: z.string().meta({
      description:
        'The total the goal is measured by (followers: followerCounts, the growth of the recorded follower counts, where there are any, else followersGained; views, engagement, clicks for leads and sales)',
    }),
    achieved: z.number(),
    progressPercent: z.number().meta({ description: 'achieved / (target − baseline), or / target without a baseline' }),
    met: z.boolean(),
  })
  .meta({ id: 'GoalResult' });
export type GoalResult = z.infer<typeof goalResultSchema>;

const groupFields = {
  planned: z.number().int(),
  posted: z.number().int(),
  skipped: z.number().int(),
  totals: metricTotalsSchema,
  avgEngagement: z.number(),
  engagementRate: z.number().optional().meta({ description: 'engagement / views, percent' }),
};

export const postResultSchema = z
  .object({
    day: z.number().int(),
    platform: platformSchema,
    date: z.iso.date(),
    title: z.string().optional(),
    pillar: z.string().optional(),
    engagement: z.number(),
    views: z.number(),
    score: postScoreSchema.optional(),
  })
  .meta({ id: 'PostResult' });
export type PostResult = z.infer<typeof postResultSchema>;

export const slotResultSchema = z
  .object({
    platform: platformSchema,
    weekday: z.number().int().min(0).max(6).meta({ description: '0 = Sunday, local' }),
    hour: z.number().int().min(0).max(23).meta({ description: 'Local hour of posting' }),
    posts: z.number().int(),
    engagement: z.number().meta({ description: 'Sum over the posts of the slot' }),
  })
  .meta({ id: 'PostingSlot' });
export type SlotResult = z.infer<typeof slotResultSchema>;

export const followerGrowthSchema = z
  .object({
    platform: platformSchema,
    from: z.object({ date: z.iso.date(), count: z.number().int() }),
    to: z.object({ date: z.iso.date(), count: z.number().int() }),
    gained: z.number().int(),
  })
  .meta({ id: 'FollowerGrowth' });
export type FollowerGrowth = z.infer<typeof followerGrowthSchema>;

export const predictionCheckSchema = z
  .object({
    posts: z.array(
      z.object({
        day: z.number().int(),
        platform: platformSchema,
        predicted: z.number().meta({ description: 'The score predicted before posting' }),
        actual: z.number().meta({ description: 'The baseline-relative score it got' }),
      }),
    ),
    n: z.number().int().meta({ description: 'Posts with both a prediction and a score' }),
    spearman: z.number().min(-1).max(1).optional().meta({
      description:
        'Rank correlation of predicted and actual (1: the predictions ranked the posts exactly); absent under 3 posts or when the predictions do not vary',
    }),
    reading: z.string().meta({ description: 'How far to trust the predictions, in words' }),
  })
  .meta({ id: 'PredictionCheck' });
export type PredictionCheck = z.infer<typeof predictionCheckSchema>;
const hookStyleEnum = z.enum(hookStyles);
export const outcomeExperimentsSchema = z
  .object({
    hookStyles: z.object({
      styles: z.array(hookStyleEnum),
      arms: z.array(
        z.object({
          style: hookStyleEnum,
          slots: z.number().int().meta({ description: 'Slots planned with the style at the end (after every re-assignment)' }),
          scored: z.number().int().meta({ description: 'Of them, posts with a baseline-relative score' }),
          meanScore: z.number().optional().meta({ description: 'Mean baseline-relative score of the scored posts' }),
        }),
      ),
      reassignments: z.number().int().meta({ description: 'Slots re-assigned by Thompson sampling during the campaign' }),
      winner: z
        .object({ style: hookStyleEnum, evidence: findingSchema.omit({ postIds: true }) })
        .optional()
        .meta({ description: "Only when the styles' comparison claims an effect (strong or suggestive)" }),
      verdict: z.string().meta({ description: 'The winner with its claim, or "No winner yet: …" with why' }),
    }),
  })
  .meta({ id: 'OutcomeExperiments', description: "The campaign's experiments (experiments.hookStyles) and what they found" });

export const outcomeNumbersSchema = z.object({
  goal: goalResultSchema,
  followers: z
    .array(followerGrowthSchema)
    .meta({ description: 'Per platform, the recorded follower counts (PUT /profile/followers) at the campaign start and end' }),
  posts: z.object({ planned: z.number().int(), posted: z.number().int(), skipped: z.number().int(), unconfirmed: z.number().int() }),
  totals: metricTotalsSchema,
  engagementRate: z.number().optional(),
  perPlatform: z.array(z.object({ platform: platformSchema, ...groupFields })),
  perPillar: z.array(z.object({ pillar: z.string(), ...groupFields })),
  bestPosts: z.array(postResultSchema),
  worstPosts: z.array(postResultSchema),
  bestPostingTimes: z
    .array(slotResultSchema)
    .meta({ description: 'Per platform, the local weekday and hour with the highest average engagement' }),
  postingSlots: z.array(slotResultSchema).meta({ description: 'Every local weekday and hour posted at, per platform' }),
  findings: z.array(findingSchema).meta({
    description: 'Every comparison of arms (hour band, weekday, format, pillar, hook style) on baseline-relative scores, with its evidence',
  }),
  prediction: predictionCheckSchema.optional().meta({
    description:
      "Crescendo's predicted scores against the actual ones, per post, and their rank correlation (absent on reports made before it)",
  }),
  experiments: outcomeExperimentsSchema.optional(),
});
export type CampaignOutcomeNumbers = z.infer<typeof outcomeNumbersSchema>;

const lessonText = singleLineText().trim().min(1).max(400);
export const lessonSchema = z
  .strictObject({
    text: lessonText,
    platform: platformSchema.optional(),
    pillar: singleLineText().trim().min(1).max(60).optional(),
    evidence: singleLineText().trim().min(1).max(300).optional().meta({ description: 'The numbers the lesson rests on' }),
  })
  .meta({ id: 'Lesson' });
export type Lesson = z.infer<typeof lessonSchema>;

export const lessonsContentSchema = z.strictObject({
  summary: multiLineText().trim().min(1).max(1200),
  whatWorked: z.array(lessonSchema).max(12),
  whatFailed: z.array(lessonSchema).max(12),
  recommendations: z.array(lessonSchema).max(12),
});
export type LessonsContent = z.infer<typeof lessonsContentSchema>;

export const lessonsSchema = lessonsContentSchema
  .extend({
    campaignId: z.uuid(),
    state: z.enum(['draft', 'approved']),
    version: z.number().int(),
    model: z.string().meta({ description: 'The model that drafted them (offline: the deterministic twin)' }),
    draftedAt: z.iso.datetime(),
    approvedAt: z.iso.datetime().optional(),
    memories: z.array(z.string()).optional().meta({ description: 'Learning memory ids written by the approval' }),
    findings: z.array(findingSchema).optional().meta({
      description: "The evidence the lessons rest on (the outcome's findings), not editable; absent on lessons drafted before it",
    }),
  })
  .meta({ id: 'Lessons' });
export type Lessons = z.infer<typeof lessonsSchema>;

export const approveLessonsSchema = lessonsContentSchema
  .partial()
  .meta({ id: 'LessonsApproval', description: 'Edits to the draft (omitted fields are kept); no body approves the lessons as drafted' })
  .optional();
export type ApproveLessons = z.infer<typeof approveLessonsSchema>;

export const outcomeReportSchema = outcomeNumbersSchema
  .extend({
    campaignId: z.uuid(),
    summary: z.string(),
    model: z.string(),
    generatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OutcomeReport' });
export type OutcomeReport = z.infer<typeof outcomeReportSchema>;

export const postingTimeInsightSchema = z
  .object({
    platform: platformSchema,
    posts: z.number().int().meta({ description: 'Confirmed posts with metrics on this platform' }),
    enough: z.boolean().meta({ description: 'Whether there are enough posts to recommend a time' }),
    bestHour: z.number().int().min(0).max(23).optional().meta({ description: 'Local hour of day with the highest average engagement' }),
    bestHourOfWeek: z.object({ weekday: z.number().int(), hour: z.number().int() }).optional(),
    avgEngagementAtBest: z.number().optional(),
    avgEngagement: z.number(),
  })
  .meta({ id: 'PostingTimeInsight' });
export type PostingTimeInsight = z.infer<typeof postingTimeInsightSchema>;

export const profileInsightsSchema = z
  .object({
    postingTimes: z.array(postingTimeInsightSchema),
    threshold: z.object({ postsPerPlatform: z.number().int(), postsPerHour: z.number().int() }),
    campaigns: z.number().int().meta({ description: 'Completed campaigns the numbers come from' }),
  })
  .meta({ id: 'ProfileInsights' });
export type ProfileInsights = z.infer<typeof profileInsightsSchema>;
