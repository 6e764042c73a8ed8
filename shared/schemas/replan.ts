import * as z from './zod';
import { platformSchema, singleLineText } from './common';
import { campaignIdSchema } from './campaign';
import { estimateSchema } from './estimate';

export const replanStatusSchema = z.withMeta(z.enum(['running', 'succeeded', 'failed']), { id: 'ReplanStatus' });

export const replanItemPathSchema = z.strictObject({
  id: campaignIdSchema,
  n: z.withMeta(z.coerce.number().check(z.int(), z.gte(1), z.lte(9999)), { description: 'The re-plan number (1 for the first)' }),
});

export const replanRequestSchema = z.withMeta(
  z.strictObject({
    reason: z.withMeta(z.optional(singleLineText().check(z.maxLength(500))), { description: 'Why the creator asks, kept with the diff' }),
  }),
  { id: 'ReplanRequest' },
);

const armsSchema = z.object({ pillar: z.string(), format: z.string(), hourBand: z.string() });
const postSideSchema = z.object({ title: z.optional(z.string()), hook: z.optional(z.string()), arms: armsSchema });

export const replanChangeSchema = z.withMeta(
  z.object({
    contentId: z.withMeta(z.string(), { description: '<day>#<platform>' }),
    day: z.number().check(z.int()),
    platform: platformSchema,
    scheduledFor: z.withMeta(z.iso.datetime(), { description: 'Posting time in UTC after the re-plan' }),
    before: postSideSchema,
    after: z.withMeta(postSideSchema, { description: 'The rewritten post (absent title and hook while the re-plan runs)' }),
    why: z.withMeta(z.string(), {
      description: 'The evidence: per moved arm its scored posts and posterior mean against the one it replaces',
    }),
  }),
  { id: 'ReplanChange' },
);
export type ReplanChange = z.infer<typeof replanChangeSchema>;

export const replanSummarySchema = z.withMeta(
  z.object({
    n: z.number().check(z.int()),
    status: replanStatusSchema,
    reason: z.optional(z.string()),
    requestedAt: z.iso.datetime(),
    finishedAt: z.optional(z.iso.datetime()),
    changed: z.withMeta(z.optional(z.number().check(z.int())), { description: 'Posts the re-plan rewrites (known once its planner ran)' }),
    failure: z.optional(z.object({ code: z.string(), message: z.string() })),
  }),
  { id: 'ReplanSummary' },
);
export type ReplanSummary = z.infer<typeof replanSummarySchema>;

export const replanSchema = z.withMeta(
  z.extend(replanSummarySchema, {
    changes: z.withMeta(z.array(replanChangeSchema), { description: 'One page of the changes, in day order; follow meta.nextCursor' }),
  }),
  { id: 'Replan' },
);

export const replanPageQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const replanStartSchema = z.withMeta(
  z.object({
    n: z.number().check(z.int()),
    status: replanStatusSchema,
    poll: z.withMeta(z.string(), { description: 'GET this path until status is succeeded or failed' }),
  }),
  { id: 'ReplanStart' },
);

export const replanEstimateSchema = z.withMeta(
  z.extend(estimateSchema, {
    openPosts: z.withMeta(z.number().check(z.int()), {
      description: 'Posts a re-plan may rewrite: not posted, skipped, due, approved or edited',
    }),
    lockedPosts: z.withMeta(z.number().check(z.int()), { description: 'Posts it leaves exactly as they are' }),
  }),
  { id: 'ReplanEstimate' },
);
