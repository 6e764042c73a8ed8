import * as z from './zod';
import { platformSchema } from './common';

/** A follower count of one platform on one date (issue 15 owns it; issue 16's daily import writes `platform`). */
export const followerCountSchema = z.withMeta(
  z.object({
    platform: platformSchema,
    date: z.iso.date(),
    count: z.number().check(z.int(), z.gte(0)),
    source: z.enum(['manual', 'platform']),
    recordedAt: z.iso.datetime(),
  }),
  { id: 'FollowerCount' },
);
export type FollowerCount = z.infer<typeof followerCountSchema>;

export const followerCountRequestSchema = z.withMeta(
  z.strictObject({
    platform: platformSchema,
    date: z.withMeta(z.iso.date(), { description: "The date the count was read (the creator's calendar)" }),
    count: z.number().check(z.int(), z.gte(0), z.lte(1e10)),
  }),
  { id: 'FollowerCountRequest' },
);
export type FollowerCountRequest = z.infer<typeof followerCountRequestSchema>;

export const followerHistoryResponseSchema = z.withMeta(
  z.object({
    entry: followerCountSchema,
    history: z.withMeta(z.array(followerCountSchema), { description: "The platform's counts, one per date" }),
  }),
  { id: 'FollowerCountRecorded' },
);
