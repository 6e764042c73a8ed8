import * as z from 'zod';
import { platformSchema, singleLineText } from './common';
import { campaignIdSchema } from './campaign';
import { estimateSchema } from './estimate';

export const replanStatusSchema = z.enum(['running', 'succeeded', 'failed']).meta({ id: 'ReplanStatus' });

export const replanItemPathSchema = z.strictObject({
  id: campaignIdSchema,
  n: z.coerce.number().int().min(1).max(9999).meta({ description: 'The re-plan number (1 for the first)' }),
});

export const replanRequestSchema = z
  .strictObject({ reason: singleLineText().max(500).optional().meta({ description: 'Why the creator asks, kept with the diff' }) })
  .meta({ id: 'ReplanRequest' });

const armsSchema = z.object({ pillar: z.string(), format: z.string(), hourBand: z.string() });
const postSideSchema = z.object({ title: z.string().optional(), hook: z.string().optional(), arms: armsSchema });

export const replanChangeSchema = z
  .object({
    contentId: z.string().meta({ description: '<day>#<platform>' }),
    day: z.number().int(),
    platform: platformSchema,
    scheduledFor: z.iso.datetime().meta({ description: 'Posting time in UTC after the re-plan' }),
    before: postSideSchema,
    after: postSideSchema.meta({ description: 'The rewritten post (absent title and hook while the re-plan runs)' }),
    why: z.string().meta({ description: 'The evidence: per moved arm its scored posts and posterior mean against the one it replaces' }),
  })
  .meta({ id: 'ReplanChange' });
export type ReplanChange = z.infer<typeof replanChangeSchema>;

export const replanSummarySchema = z
  .object({
    n: z.number().int(),
    status: replanStatusSchema,
    reason: z.string().optional(),
    requestedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    changed: z.number().int().optional().meta({ description: 'Posts the re-plan rewrites (known once its planner ran)' }),
    failure: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'ReplanSummary' });
export type ReplanSummary = z.infer<typeof replanSummarySchema>;

export const replanSchema = replanSummarySchema
  .extend({ changes: z.array(replanChangeSchema).meta({ description: 'One page of the changes, in day order; follow meta.nextCursor' }) })
  .meta({ id: 'Replan' });

export const replanPageQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().max(2048).optional(),
});

export const replanStartSchema = z
  .object({
    n: z.number().int(),
    status: replanStatusSchema,
    poll: z.string().meta({ description: 'GET this path until status is succeeded or failed' }),
  })
  .meta({ id: 'ReplanStart' });

export const replanEstimateSchema = estimateSchema
  .extend({
    openPosts: z.number().int().meta({ description: 'Posts a re-plan may rewrite: not posted, skipped, due, approved or edited' }),
    lockedPosts: z.number().int().meta({ description: 'Posts it leaves exactly as they are' }),
  })
  .meta({ id: 'ReplanEstimate' });
