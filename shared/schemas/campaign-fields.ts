import * as z from './zod';
import { assetIdSchema } from './assets';
import { platformSchema, singleLineText } from './common';
import { hookStyles } from './vocabulary';

/*
 * The fields a creator sets on a campaign, and the goal, plans and agent settings the workflow
 * reads: apart from the campaign's responses (campaign.ts), so the agents and the stores that read
 * these fields do not build every campaign schema at their cold start (issue 21).
 */

const text = (max: number) => singleLineText().check(z.trim(), z.minLength(1), z.maxLength(max));

export const goalTypeSchema = z.withMeta(z.enum(['followers', 'views', 'engagement', 'leads', 'sales', 'launch']), { id: 'GoalType' });

export const goalSchema = z.withMeta(
  z.strictObject({
    type: goalTypeSchema,
    metric: z.withMeta(text(100), { example: 'YouTube subscribers' }),
    // Decimals at most 6 here and in critiqueBar: DynamoDB stores no number below 1e-130 (1e-200 was a 500, found by the route fuzzer).
    target: z.number().check(z.positive(), z.lte(1e12), z.multipleOf(0.000001)),
    baseline: z.optional(z.number().check(z.gte(0), z.lte(1e12), z.multipleOf(0.000001))),
  }),
  { id: 'CampaignGoal' },
);

export const platformPlanSchema = z.withMeta(
  z.strictObject({ platform: platformSchema, postsPerWeek: z.number().check(z.int(), z.gte(1), z.lte(14)) }),
  { id: 'PlatformPlan' },
);

export const agentConfigSchema = z.withMeta(
  z.strictObject({
    tone: z._default(text(100), 'friendly and clear'),
    language: z._default(z.string().check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR')), 'en'),
    critiqueBar: z._default(z.number().check(z.gte(0), z.lte(10), z.multipleOf(0.000001)), 7),
    maxCritiqueRounds: z._default(z.number().check(z.int(), z.gte(0), z.lte(3)), 2),
  }),
  { id: 'AgentConfig' },
);

export const hookStyleSchema = z.withMeta(z.enum(hookStyles), { id: 'HookStyle' });

export const experimentsSchema = z.withMeta(
  z.strictObject({
    hookStyles: z.withMeta(
      z.array(hookStyleSchema).check(
        z.minLength(2),
        z.maxLength(3),
        z.refine((styles) => new Set(styles).size === styles.length, { message: 'list each style once' }),
      ),
      {
        description:
          "Two or three hook styles tested across the slots: the writer writes a hook of each style for every post, the slots start balanced between them, and after each slot's metrics the later untouched slots are re-assigned by Thompson sampling on the baseline-relative score",
      },
    ),
  }),
  { id: 'CampaignExperiments' },
);
export type CampaignExperiments = z.infer<typeof experimentsSchema>;

/** Every onboarding field a creator sets; all optional in a PATCH, required ones checked at complete-onboarding. */
export const campaignFields = {
  name: text(120),
  goal: goalSchema,
  durationDays: z.number().check(z.int(), z.gte(7), z.lte(90)),
  startDate: z.withMeta(z.iso.date(), { description: "First day of the campaign, in the creator's time zone" }),
  platforms: z.array(platformPlanSchema).check(
    z.minLength(1),
    z.maxLength(8),
    z.refine((plans) => new Set(plans.map((p) => p.platform)).size === plans.length, { message: 'each platform may appear once' }),
  ),
  competitors: z.array(text(300)).check(z.maxLength(10)),
  agentConfig: agentConfigSchema,
  brandAssets: z.withMeta(
    z.array(assetIdSchema).check(
      z.maxLength(10),
      z.refine((ids) => new Set(ids).size === ids.length, { message: 'list each asset once' }),
    ),
    {
      description:
        "Ids of the creator's ready assets (logo, brand images, guidelines); checked when set and at start; the writers and the thumbnail prompts receive their descriptions",
    },
  ),
  experiments: experimentsSchema,
};
export const requiredCampaignFields = ['name', 'goal', 'durationDays', 'startDate', 'platforms'] as const;
