import * as z from './zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { metricFields } from './vocabulary';
import { findingSchema } from './findings';
import { postScoreSchema } from './scores';
import { hookStyles } from './vocabulary';

/** Sums of the latest metrics of the posted posts, plus engagement (likes + comments + shares + saves). */
export const metricTotalsSchema = z.withMeta(
  z.object({
    ...(Object.fromEntries(metricFields.map((field) => [field, z.number()])) as Record<(typeof metricFields)[number], z.ZodMiniNumber>),
    engagement: z.number(),
  }),
  { id: 'MetricTotals' },
);
export type MetricTotals = z.infer<typeof metricTotalsSchema>;

export const goalResultSchema = z.withMeta(
  z.object({
    type: z.string(),
    metric: z.string(),
    target: z.number(),
    baseline: z.optional(z.number()),
    reached: z.withMeta(z.optional(z.number()), { description: 'baseline + achieved' }),
    basis: z.withMeta(z.string(), {
      description:
        'The total the goal is measured by (followers: followerCounts, the growth of the recorded follower counts, where there are any, else followersGained; views, engagement, clicks for leads and sales)',
    }),
    achieved: z.number(),
    progressPercent: z.withMeta(z.number(), { description: 'achieved / (target − baseline), or / target without a baseline' }),
    met: z.boolean(),
  }),
  { id: 'GoalResult' },
);
export type GoalResult = z.infer<typeof goalResultSchema>;

const groupFields = {
  planned: z.number().check(z.int()),
  posted: z.number().check(z.int()),
  skipped: z.number().check(z.int()),
  totals: metricTotalsSchema,
  avgEngagement: z.number(),
  engagementRate: z.withMeta(z.optional(z.number()), { description: 'engagement / views, percent' }),
};

export const postResultSchema = z.withMeta(
  z.object({
    day: z.number().check(z.int()),
    platform: platformSchema,
    date: z.iso.date(),
    title: z.optional(z.string()),
    pillar: z.optional(z.string()),
    engagement: z.number(),
    views: z.number(),
    score: z.optional(postScoreSchema),
  }),
  { id: 'PostResult' },
);
export type PostResult = z.infer<typeof postResultSchema>;

export const slotResultSchema = z.withMeta(
  z.object({
    platform: platformSchema,
    weekday: z.withMeta(z.number().check(z.int(), z.gte(0), z.lte(6)), { description: '0 = Sunday, local' }),
    hour: z.withMeta(z.number().check(z.int(), z.gte(0), z.lte(23)), { description: 'Local hour of posting' }),
    posts: z.number().check(z.int()),
    engagement: z.withMeta(z.number(), { description: 'Sum over the posts of the slot' }),
  }),
  { id: 'PostingSlot' },
);
export type SlotResult = z.infer<typeof slotResultSchema>;

export const followerGrowthSchema = z.withMeta(
  z.object({
    platform: platformSchema,
    from: z.object({ date: z.iso.date(), count: z.number().check(z.int()) }),
    to: z.object({ date: z.iso.date(), count: z.number().check(z.int()) }),
    gained: z.number().check(z.int()),
  }),
  { id: 'FollowerGrowth' },
);
export type FollowerGrowth = z.infer<typeof followerGrowthSchema>;

export const predictionCheckSchema = z.withMeta(
  z.object({
    posts: z.array(
      z.object({
        day: z.number().check(z.int()),
        platform: platformSchema,
        predicted: z.withMeta(z.number(), { description: 'The score predicted before posting' }),
        actual: z.withMeta(z.number(), { description: 'The baseline-relative score it got' }),
      }),
    ),
    n: z.withMeta(z.number().check(z.int()), { description: 'Posts with both a prediction and a score' }),
    spearman: z.withMeta(z.optional(z.number().check(z.gte(-1), z.lte(1))), {
      description:
        'Rank correlation of predicted and actual (1: the predictions ranked the posts exactly); absent under 3 posts or when the predictions do not vary',
    }),
    reading: z.withMeta(z.string(), { description: 'How far to trust the predictions, in words' }),
  }),
  { id: 'PredictionCheck' },
);
export type PredictionCheck = z.infer<typeof predictionCheckSchema>;
const hookStyleEnum = z.enum(hookStyles);
export const outcomeExperimentsSchema = z.withMeta(
  z.object({
    hookStyles: z.object({
      styles: z.array(hookStyleEnum),
      arms: z.array(
        z.object({
          style: hookStyleEnum,
          slots: z.withMeta(z.number().check(z.int()), {
            description: 'Slots planned with the style at the end (after every re-assignment)',
          }),
          scored: z.withMeta(z.number().check(z.int()), { description: 'Of them, posts with a baseline-relative score' }),
          meanScore: z.withMeta(z.optional(z.number()), { description: 'Mean baseline-relative score of the scored posts' }),
        }),
      ),
      reassignments: z.withMeta(z.number().check(z.int()), { description: 'Slots re-assigned by Thompson sampling during the campaign' }),
      winner: z.withMeta(z.optional(z.object({ style: hookStyleEnum, evidence: z.omit(findingSchema, { postIds: true }) })), {
        description: "Only when the styles' comparison claims an effect (strong or suggestive)",
      }),
      verdict: z.withMeta(z.string(), { description: 'The winner with its claim, or "No winner yet: …" with why' }),
    }),
  }),
  { id: 'OutcomeExperiments', description: "The campaign's experiments (experiments.hookStyles) and what they found" },
);

export const outcomeNumbersSchema = z.object({
  goal: goalResultSchema,
  followers: z.withMeta(z.array(followerGrowthSchema), {
    description: 'Per platform, the recorded follower counts (PUT /profile/followers) at the campaign start and end',
  }),
  posts: z.object({
    planned: z.number().check(z.int()),
    posted: z.number().check(z.int()),
    skipped: z.number().check(z.int()),
    unconfirmed: z.number().check(z.int()),
  }),
  totals: metricTotalsSchema,
  engagementRate: z.optional(z.number()),
  perPlatform: z.array(z.object({ platform: platformSchema, ...groupFields })),
  perPillar: z.array(z.object({ pillar: z.string(), ...groupFields })),
  bestPosts: z.array(postResultSchema),
  worstPosts: z.array(postResultSchema),
  bestPostingTimes: z.withMeta(z.array(slotResultSchema), {
    description: 'Per platform, the local weekday and hour with the highest average engagement',
  }),
  postingSlots: z.withMeta(z.array(slotResultSchema), { description: 'Every local weekday and hour posted at, per platform' }),
  findings: z.withMeta(z.array(findingSchema), {
    description: 'Every comparison of arms (hour band, weekday, format, pillar, hook style) on baseline-relative scores, with its evidence',
  }),
  prediction: z.withMeta(z.optional(predictionCheckSchema), {
    description:
      "Crescendo's predicted scores against the actual ones, per post, and their rank correlation (absent on reports made before it)",
  }),
  experiments: z.optional(outcomeExperimentsSchema),
});
export type CampaignOutcomeNumbers = z.infer<typeof outcomeNumbersSchema>;

const lessonText = singleLineText().check(z.trim(), z.minLength(1), z.maxLength(400));
export const lessonSchema = z.withMeta(
  z.strictObject({
    text: lessonText,
    platform: z.optional(platformSchema),
    pillar: z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(60))),
    evidence: z.withMeta(z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(300))), {
      description: 'The numbers the lesson rests on',
    }),
  }),
  { id: 'Lesson' },
);
export type Lesson = z.infer<typeof lessonSchema>;

export const lessonsContentSchema = z.strictObject({
  summary: multiLineText().check(z.trim(), z.minLength(1), z.maxLength(1200)),
  whatWorked: z.array(lessonSchema).check(z.maxLength(12)),
  whatFailed: z.array(lessonSchema).check(z.maxLength(12)),
  recommendations: z.array(lessonSchema).check(z.maxLength(12)),
});
export type LessonsContent = z.infer<typeof lessonsContentSchema>;

export const lessonsSchema = z.withMeta(
  z.extend(lessonsContentSchema, {
    campaignId: z.uuid(),
    state: z.enum(['draft', 'approved']),
    version: z.number().check(z.int()),
    model: z.withMeta(z.string(), { description: 'The model that drafted them (offline: the deterministic twin)' }),
    draftedAt: z.iso.datetime(),
    approvedAt: z.optional(z.iso.datetime()),
    memories: z.withMeta(z.optional(z.array(z.string())), { description: 'Learning memory ids written by the approval' }),
    findings: z.withMeta(z.optional(z.array(findingSchema)), {
      description: "The evidence the lessons rest on (the outcome's findings), not editable; absent on lessons drafted before it",
    }),
  }),
  { id: 'Lessons' },
);
export type Lessons = z.infer<typeof lessonsSchema>;

export const approveLessonsSchema = z.optional(
  z.withMeta(z.partial(lessonsContentSchema), {
    id: 'LessonsApproval',
    description: 'Edits to the draft (omitted fields are kept); no body approves the lessons as drafted',
  }),
);
export type ApproveLessons = z.infer<typeof approveLessonsSchema>;

export const outcomeReportSchema = z.withMeta(
  z.extend(outcomeNumbersSchema, {
    campaignId: z.uuid(),
    summary: z.string(),
    model: z.string(),
    generatedAt: z.iso.datetime(),
  }),
  { id: 'OutcomeReport' },
);
export type OutcomeReport = z.infer<typeof outcomeReportSchema>;

export const postingTimeInsightSchema = z.withMeta(
  z.object({
    platform: platformSchema,
    posts: z.withMeta(z.number().check(z.int()), { description: 'Confirmed posts with metrics on this platform' }),
    enough: z.withMeta(z.boolean(), { description: 'Whether there are enough posts to recommend a time' }),
    bestHour: z.withMeta(z.optional(z.number().check(z.int(), z.gte(0), z.lte(23))), {
      description: 'Local hour of day with the highest average engagement',
    }),
    bestHourOfWeek: z.optional(z.object({ weekday: z.number().check(z.int()), hour: z.number().check(z.int()) })),
    avgEngagementAtBest: z.optional(z.number()),
    avgEngagement: z.number(),
  }),
  { id: 'PostingTimeInsight' },
);
export type PostingTimeInsight = z.infer<typeof postingTimeInsightSchema>;

export const profileInsightsSchema = z.withMeta(
  z.object({
    postingTimes: z.array(postingTimeInsightSchema),
    threshold: z.object({ postsPerPlatform: z.number().check(z.int()), postsPerHour: z.number().check(z.int()) }),
    campaigns: z.withMeta(z.number().check(z.int()), { description: 'Completed campaigns the numbers come from' }),
  }),
  { id: 'ProfileInsights' },
);
export type ProfileInsights = z.infer<typeof profileInsightsSchema>;
