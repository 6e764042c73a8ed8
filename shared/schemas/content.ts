import * as z from './zod';
import { multiLineText, platformSchema, singleLineText } from './common';
import { hookStyles } from './vocabulary';

const text = (max: number) => singleLineText().check(z.trim(), z.minLength(1), z.maxLength(max));
const paragraphs = (max: number) => multiLineText().check(z.trim(), z.minLength(1), z.maxLength(max));

export const approvalStateSchema = z.withMeta(z.enum(['pending', 'approved', 'rejected']), { id: 'ApprovalState' });
export const scriptSchema = z.withMeta(z.strictObject({ hook: text(500), body: paragraphs(8000), cta: text(500) }), {
  id: 'Script',
  description: 'Beats of a video script',
});

/** What a creator may edit on a content item. */
export const contentEditFields = {
  title: text(200),
  script: scriptSchema,
  post: paragraphs(5000),
  seoTags: z.array(text(100)).check(z.maxLength(30)),
  cta: text(300),
};

export const contentPatchSchema = z.withMeta(
  z
    .partial(
      z.strictObject({
        ...contentEditFields,
        approval: z.discriminatedUnion('state', [
          z.strictObject({ state: z.literal('approved') }),
          z.strictObject({ state: z.literal('rejected'), reason: paragraphs(1000) }),
        ]),
      }),
    )
    .check(z.refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to edit, or an approval' })),
  { id: 'ContentPatch' },
);
export type ContentPatch = z.infer<typeof contentPatchSchema>;

export const contentPathSchema = z.strictObject({
  id: z.uuid(),
  day: z.coerce.number().check(z.int(), z.gte(1), z.lte(90)),
  platform: platformSchema,
});

export const contentQuerySchema = z
  .strictObject({
    fromDay: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(90))),
    toDay: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(90))),
    platform: z.optional(platformSchema),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  })
  .check(
    z.refine((q) => q.fromDay === undefined || q.toDay === undefined || q.fromDay <= q.toDay, {
      message: 'fromDay must not be after toDay',
      path: ['fromDay'],
    }),
  );

const revisionSchema = z.object({
  version: z.number().check(z.int()),
  at: z.iso.datetime(),
  title: z.optional(z.string()),
  script: z.optional(scriptSchema),
  post: z.optional(z.string()),
  seoTags: z.optional(z.array(z.string())),
  cta: z.optional(z.string()),
});

export const predictionSchema = z.withMeta(
  z.object({
    score: z.withMeta(z.number(), {
      description:
        "The predicted baseline-relative score (0 = the creator's usual post on the platform), from the creator's own scored posts",
    }),
    basedOn: z.withMeta(z.number().check(z.int(), z.gte(0)), {
      description: "Scored posts of the creator's earlier campaigns the model was fitted on (0: a new creator, every prediction 0)",
    }),
    at: z.iso.datetime(),
  }),
  {
    id: 'PostPrediction',
    description: 'Set when generation finishes, before posting; never changed afterwards, so the outcome report can check it',
  },
);
export type PostPrediction = z.infer<typeof predictionSchema>;

export const contentItemSchema = z.withMeta(
  z.object({
    campaignId: z.uuid(),
    day: z.number().check(z.int()),
    platform: platformSchema,
    date: z.withMeta(z.iso.date(), { description: "Local date in the creator's time zone" }),
    localTime: z.withMeta(z.string(), { description: 'Local posting time HH:mm' }),
    dueAt: z.withMeta(z.iso.datetime(), { description: 'Posting time in UTC' }),
    format: z.string(),
    pillar: z.optional(z.string()),
    topic: z.optional(z.string()),
    angle: z.optional(z.string()),
    title: z.optional(z.string()),
    script: z.optional(scriptSchema),
    post: z.optional(z.string()),
    seoTags: z.optional(z.array(z.string())),
    cta: z.optional(z.string()),
    language: z.withMeta(z.optional(z.string()), {
      description:
        "BCP 47 tag of the language the text is written in: the campaign's agentConfig.language, or en where the offline writer wrote it (its templates are English only)",
    }),
    hookStyle: z.withMeta(z.optional(z.enum(hookStyles)), {
      description: "The hook style this slot tests (campaigns with experiments.hookStyles): the post opens with that style's hook",
    }),
    hooks: z.withMeta(z.optional(z.partialRecord(z.enum(hookStyles), z.string())), {
      description: 'One hook per tested style, written with the post; switching the style switches the opening to its hook',
    }),
    styleChanges: z.withMeta(
      z.optional(z.array(z.object({ at: z.iso.datetime(), from: z.enum(hookStyles), to: z.enum(hookStyles), why: z.string() }))),
      { description: "Every re-assignment of the slot's hook style by the experiment, oldest first" },
    ),
    thumbnailKey: z.optional(z.string()),
    thumbnailUrl: z.withMeta(z.optional(z.url()), { description: 'Presigned GET URL, valid 15 minutes' }),
    critique: z.optional(z.object({ score: z.number(), reasons: z.array(z.string()), rounds: z.number().check(z.int()) })),
    prediction: z.optional(predictionSchema),
    approval: z.object({ state: approvalStateSchema, reason: z.optional(z.string()), at: z.optional(z.iso.datetime()) }),
    version: z.number().check(z.int()),
    revisions: z.array(revisionSchema),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'ContentItem' },
);
export type ContentItem = z.infer<typeof contentItemSchema>;
