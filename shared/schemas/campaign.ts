import * as z from 'zod';
import { assetIdSchema } from './assets';
import { estimateSchema } from './estimate';
import { platformSchema, singleLineText } from './common';
import { campaignStatuses, hookStyles } from './vocabulary';

const text = (max: number) => singleLineText().trim().min(1).max(max);

export const campaignIdSchema = z.uuid().meta({ description: 'Campaign id (UUID)' });
export const campaignStatusSchema = z.enum(campaignStatuses).meta({ id: 'CampaignStatus' });
export const goalTypeSchema = z.enum(['followers', 'views', 'engagement', 'leads', 'sales', 'launch']).meta({ id: 'GoalType' });

export const goalSchema = z
  .strictObject({
    type: goalTypeSchema,
    metric: text(100).meta({ example: 'YouTube subscribers' }),
    // Decimals at most 6 here and in critiqueBar: DynamoDB stores no number below 1e-130 (1e-200 was a 500, found by the route fuzzer).
    target: z.number().positive().max(1e12).multipleOf(0.000001),
    baseline: z.number().min(0).max(1e12).multipleOf(0.000001).optional(),
  })
  .meta({ id: 'CampaignGoal' });

export const platformPlanSchema = z
  .strictObject({ platform: platformSchema, postsPerWeek: z.number().int().min(1).max(14) })
  .meta({ id: 'PlatformPlan' });

export const agentConfigSchema = z
  .strictObject({
    tone: text(100).default('friendly and clear'),
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR')
      .default('en'),
    critiqueBar: z.number().min(0).max(10).multipleOf(0.000001).default(7),
    maxCritiqueRounds: z.number().int().min(0).max(3).default(2),
  })
  .meta({ id: 'AgentConfig' });

export const hookStyleSchema = z.enum(hookStyles).meta({ id: 'HookStyle' });

export const experimentsSchema = z
  .strictObject({
    hookStyles: z
      .array(hookStyleSchema)
      .min(2)
      .max(3)
      .refine((styles) => new Set(styles).size === styles.length, { message: 'list each style once' })
      .meta({
        description:
          "Two or three hook styles tested across the slots: the writer writes a hook of each style for every post, the slots start balanced between them, and after each slot's metrics the later untouched slots are re-assigned by Thompson sampling on the baseline-relative score",
      }),
  })
  .meta({ id: 'CampaignExperiments' });
export type CampaignExperiments = z.infer<typeof experimentsSchema>;

/** Every onboarding field a creator sets; all optional in a PATCH, required ones checked at complete-onboarding. */
export const campaignFields = {
  name: text(120),
  goal: goalSchema,
  durationDays: z.number().int().min(7).max(90),
  startDate: z.iso.date().meta({ description: "First day of the campaign, in the creator's time zone" }),
  platforms: z
    .array(platformPlanSchema)
    .min(1)
    .max(8)
    .refine((plans) => new Set(plans.map((p) => p.platform)).size === plans.length, { message: 'each platform may appear once' }),
  competitors: z.array(text(300)).max(10),
  agentConfig: agentConfigSchema,
  brandAssets: z
    .array(assetIdSchema)
    .max(10)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'list each asset once' })
    .meta({
      description:
        "Ids of the creator's ready assets (logo, brand images, guidelines); checked when set and at start; the writers and the thumbnail prompts receive their descriptions",
    }),
  experiments: experimentsSchema,
};
export const requiredCampaignFields = ['name', 'goal', 'durationDays', 'startDate', 'platforms'] as const;

const atLeastOneField = (body: object) => Object.keys(body).length > 0;

export const createCampaignSchema = z.strictObject({ name: campaignFields.name.optional() }).meta({ id: 'CreateCampaignRequest' });
export const campaignPatchSchema = z
  .strictObject(campaignFields)
  .partial()
  .refine(atLeastOneField, { message: 'at least one field is required' })
  .meta({ id: 'CampaignPatch' });
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

export const campaignPathSchema = z.strictObject({ id: campaignIdSchema });

const failureSchema = z.object({ step: z.string(), code: z.string(), message: z.string(), at: z.iso.datetime() });
export const progressSchema = z
  .object({
    step: z.string(),
    postsDone: z.number().int(),
    postsTotal: z.number().int(),
    batchesDone: z.number().int(),
    batchesTotal: z.number().int(),
    critiqueRounds: z.number().int(),
    weeksTotal: z.number().int().meta({ description: "The campaign's weeks (of 7 days from day 1)" }),
    weeksReady: z.array(z.number().int()).meta({
      description:
        'Weeks ready, in the order they became so (week 1 first): written, critiqued and illustrated, readable in the schedule and due for the posting trigger while later weeks generate',
    }),
    weeksFailed: z
      .array(z.number().int())
      .meta({ description: 'Weeks whose generation failed; a retry regenerates these and keeps the ready ones' }),
    models: z.array(z.string()),
    errors: z.array(failureSchema),
  })
  .partial()
  .meta({ id: 'CampaignProgress' });

export const executionSchema = z
  .object({
    name: z.string(),
    arn: z.string(),
    attempt: z.number().int(),
    startedAt: z.iso.datetime(),
    leaseUntil: z.iso.datetime().optional().meta({
      description:
        "The attempt's deadline: the workflow's timeout plus 5 minutes; a campaign still generating past it reads failed (TIMEOUT)",
    }),
  })
  .meta({ id: 'CampaignExecution' });

export const memoryChoicesSchema = z
  .object({
    applied: z.array(
      z.object({
        memory: z.string(),
        campaignId: z.string(),
        relevance: z.number().meta({ description: 'platform 3 + goal metric 2 + niche 1 + recency (1 → 0 over 180 days)' }),
        why: z.string(),
      }),
    ),
    skipped: z.array(z.object({ memory: z.string(), why: z.string() })),
  })
  .meta({
    id: 'MemoryChoices',
    description: "The creator's learning memories this campaign's plan applied, and the ones it skipped with the reason",
  });
export type MemoryChoices = z.infer<typeof memoryChoicesSchema>;

export const campaignSchema = z
  .object({
    campaignId: campaignIdSchema,
    status: campaignStatusSchema,
    version: z.number().int(),
    attempt: z.number().int(),
    name: z.string().optional(),
    goal: goalSchema.optional(),
    durationDays: z.number().int().optional(),
    startDate: z.string().optional(),
    platforms: z.array(platformPlanSchema).optional(),
    competitors: z.array(z.string()).optional(),
    agentConfig: agentConfigSchema.optional(),
    brandAssets: z.array(z.string()).optional(),
    experiments: experimentsSchema.optional(),
    execution: executionSchema.optional(),
    progress: progressSchema.optional(),
    failure: failureSchema.optional(),
    memoryChoices: memoryChoicesSchema.optional().meta({ description: 'Set at start' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Campaign' });
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignDetailSchema = campaignSchema
  .extend({
    timeZone: z.string().optional(),
    outputs: z.record(z.string(), z.unknown()).meta({ description: 'Agent outputs by agent name' }),
  })
  .meta({ id: 'CampaignDetail' });

export const listCampaignsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  status: campaignStatusSchema.optional(),
});

export const startResponseSchema = z
  .object({
    campaign: campaignSchema,
    execution: executionSchema,
    estimate: estimateSchema.optional().meta({ description: 'The cost dry-run the start was checked with (start only)' }),
  })
  .meta({ id: 'CampaignStart' });
