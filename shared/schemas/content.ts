import * as z from 'zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { hookStyles } from './vocabulary';

const text = (max: number) => singleLineText().trim().min(1).max(max);
const paragraphs = (max: number) => multiLineText().trim().min(1).max(max);

export const approvalStateSchema = z.enum(['pending', 'approved', 'rejected']).meta({ id: 'ApprovalState' });
export const scriptSchema = z
  .strictObject({ hook: text(500), body: paragraphs(8000), cta: text(500) })
  .meta({ id: 'Script', description: 'Beats of a video script' });

/** What a creator may edit on a content item. */
export const contentEditFields = {
  title: text(200),
  script: scriptSchema,
  post: paragraphs(5000),
  seoTags: z.array(text(100)).max(30),
  cta: text(300),
};

export const contentPatchSchema = z
  .strictObject({
    ...contentEditFields,
    approval: z.discriminatedUnion('state', [
      z.strictObject({ state: z.literal('approved') }),
      z.strictObject({ state: z.literal('rejected'), reason: paragraphs(1000) }),
    ]),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to edit, or an approval' })
  .meta({ id: 'ContentPatch' });
export type ContentPatch = z.infer<typeof contentPatchSchema>;

export const contentPathSchema = z.strictObject({
  id: z.uuid(),
  day: z.coerce.number().int().min(1).max(90),
  platform: platformSchema,
});

export const contentQuerySchema = z
  .strictObject({
    fromDay: z.coerce.number().int().min(1).max(90).optional(),
    toDay: z.coerce.number().int().min(1).max(90).optional(),
    platform: platformSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2048).optional(),
  })
  .refine((q) => q.fromDay === undefined || q.toDay === undefined || q.fromDay <= q.toDay, {
    message: 'fromDay must not be after toDay',
    path: ['fromDay'],
  });

const revisionSchema = z.object({
  version: z.number().int(),
  at: z.iso.datetime(),
  title: z.string().optional(),
  script: scriptSchema.optional(),
  post: z.string().optional(),
  seoTags: z.array(z.string()).optional(),
  cta: z.string().optional(),
});

export const predictionSchema = z
  .object({
    score: z.number().meta({
      description:
        "The predicted baseline-relative score (0 = the creator's usual post on the platform), from the creator's own scored posts",
    }),
    basedOn: z.number().int().min(0).meta({
      description: "Scored posts of the creator's earlier campaigns the model was fitted on (0: a new creator, every prediction 0)",
    }),
    at: z.iso.datetime(),
  })
  .meta({
    id: 'PostPrediction',
    description: 'Set when generation finishes, before posting; never changed afterwards, so the outcome report can check it',
  });
export type PostPrediction = z.infer<typeof predictionSchema>;

export const contentItemSchema = z
  .object({
    campaignId: z.uuid(),
    day: z.number().int(),
    platform: platformSchema,
    date: z.iso.date().meta({ description: "Local date in the creator's time zone" }),
    localTime: z.string().meta({ description: 'Local posting time HH:mm' }),
    dueAt: z.iso.datetime().meta({ description: 'Posting time in UTC' }),
    format: z.string(),
    pillar: z.string().optional(),
    topic: z.string().optional(),
    angle: z.string().optional(),
    title: z.string().optional(),
    script: scriptSchema.optional(),
    post: z.string().optional(),
    seoTags: z.array(z.string()).optional(),
    cta: z.string().optional(),
    language: z.string().optional().meta({
      description:
        "BCP 47 tag of the language the text is written in: the campaign's agentConfig.language, or en where the offline writer wrote it (its templates are English only)",
    }),
    hookStyle: z.enum(hookStyles).optional().meta({
      description: "The hook style this slot tests (campaigns with experiments.hookStyles): the post opens with that style's hook",
    }),
    hooks: z
      .partialRecord(z.enum(hookStyles), z.string())
      .optional()
      .meta({ description: 'One hook per tested style, written with the post; switching the style switches the opening to its hook' }),
    styleChanges: z
      .array(z.object({ at: z.iso.datetime(), from: z.enum(hookStyles), to: z.enum(hookStyles), why: z.string() }))
      .optional()
      .meta({ description: "Every re-assignment of the slot's hook style by the experiment, oldest first" }),
    thumbnailKey: z.string().optional(),
    thumbnailUrl: z.url().optional().meta({ description: 'Presigned GET URL, valid 15 minutes' }),
    critique: z.object({ score: z.number(), reasons: z.array(z.string()), rounds: z.number().int() }).optional(),
    prediction: predictionSchema.optional(),
    approval: z.object({ state: approvalStateSchema, reason: z.string().optional(), at: z.iso.datetime().optional() }),
    version: z.number().int(),
    revisions: z.array(revisionSchema),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ContentItem' });
export type ContentItem = z.infer<typeof contentItemSchema>;
