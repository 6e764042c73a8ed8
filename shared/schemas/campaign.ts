import * as z from './zod';
import { estimateSchema } from './estimate';
import { campaignStatuses } from './vocabulary';
import { goalSchema, platformPlanSchema, agentConfigSchema, experimentsSchema, campaignFields } from './campaign-fields';

export const campaignIdSchema = z.withMeta(z.uuid(), { description: 'Campaign id (UUID)' });
export const campaignStatusSchema = z.withMeta(z.enum(campaignStatuses), { id: 'CampaignStatus' });

const atLeastOneField = (body: object) => Object.keys(body).length > 0;

export const createCampaignSchema = z.withMeta(z.strictObject({ name: z.optional(campaignFields.name) }), { id: 'CreateCampaignRequest' });
export const campaignPatchSchema = z.withMeta(
  z.partial(z.strictObject(campaignFields)).check(z.refine(atLeastOneField, { message: 'at least one field is required' })),
  { id: 'CampaignPatch' },
);
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

export const campaignPathSchema = z.strictObject({ id: campaignIdSchema });

const failureSchema = z.object({ step: z.string(), code: z.string(), message: z.string(), at: z.iso.datetime() });
export const progressSchema = z.withMeta(
  z.partial(
    z.object({
      step: z.string(),
      postsDone: z.number().check(z.int()),
      postsTotal: z.number().check(z.int()),
      batchesDone: z.number().check(z.int()),
      batchesTotal: z.number().check(z.int()),
      critiqueRounds: z.number().check(z.int()),
      weeksTotal: z.withMeta(z.number().check(z.int()), { description: "The campaign's weeks (of 7 days from day 1)" }),
      weeksReady: z.withMeta(z.array(z.number().check(z.int())), {
        description:
          'Weeks ready, in the order they became so (week 1 first): written, critiqued and illustrated, readable in the schedule and due for the posting trigger while later weeks generate',
      }),
      weeksFailed: z.withMeta(z.array(z.number().check(z.int())), {
        description: 'Weeks whose generation failed; a retry regenerates these and keeps the ready ones',
      }),
      models: z.array(z.string()),
      errors: z.array(failureSchema),
    }),
  ),
  { id: 'CampaignProgress' },
);

export const executionSchema = z.withMeta(
  z.object({
    name: z.string(),
    arn: z.string(),
    attempt: z.number().check(z.int()),
    startedAt: z.iso.datetime(),
    leaseUntil: z.withMeta(z.optional(z.iso.datetime()), {
      description:
        "The attempt's deadline: the workflow's timeout plus 5 minutes; a campaign still generating past it reads failed (TIMEOUT)",
    }),
  }),
  { id: 'CampaignExecution' },
);

export const memoryChoicesSchema = z.withMeta(
  z.object({
    applied: z.array(
      z.object({
        memory: z.string(),
        campaignId: z.string(),
        relevance: z.withMeta(z.number(), { description: 'platform 3 + goal metric 2 + niche 1 + recency (1 → 0 over 180 days)' }),
        why: z.string(),
      }),
    ),
    skipped: z.array(z.object({ memory: z.string(), why: z.string() })),
  }),
  {
    id: 'MemoryChoices',
    description: "The creator's learning memories this campaign's plan applied, and the ones it skipped with the reason",
  },
);
export type MemoryChoices = z.infer<typeof memoryChoicesSchema>;

export const campaignSchema = z.withMeta(
  z.object({
    campaignId: campaignIdSchema,
    status: campaignStatusSchema,
    version: z.number().check(z.int()),
    attempt: z.number().check(z.int()),
    name: z.optional(z.string()),
    goal: z.optional(goalSchema),
    durationDays: z.optional(z.number().check(z.int())),
    startDate: z.optional(z.string()),
    platforms: z.optional(z.array(platformPlanSchema)),
    competitors: z.optional(z.array(z.string())),
    agentConfig: z.optional(agentConfigSchema),
    brandAssets: z.optional(z.array(z.string())),
    experiments: z.optional(experimentsSchema),
    execution: z.optional(executionSchema),
    progress: z.optional(progressSchema),
    failure: z.optional(failureSchema),
    memoryChoices: z.withMeta(z.optional(memoryChoicesSchema), { description: 'Set at start' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'Campaign' },
);
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignDetailSchema = z.withMeta(
  z.extend(campaignSchema, {
    timeZone: z.optional(z.string()),
    outputs: z.withMeta(z.record(z.string(), z.unknown()), { description: 'Agent outputs by agent name' }),
  }),
  { id: 'CampaignDetail' },
);

export const listCampaignsQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  status: z.optional(campaignStatusSchema),
});

export const startResponseSchema = z.withMeta(
  z.object({
    campaign: campaignSchema,
    execution: executionSchema,
    estimate: z.withMeta(z.optional(estimateSchema), { description: 'The cost dry-run the start was checked with (start only)' }),
  }),
  { id: 'CampaignStart' },
);
