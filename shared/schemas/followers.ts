import * as z from 'zod';
import { platformSchema } from './common';

/** A follower count of one platform on one date (issue 15 owns it; issue 16's daily import writes `platform`). */
export const followerCountSchema = z
  .object({
    platform: platformSchema,
    date: z.iso.date(),
    count: z.number().int().min(0),
    source: z.enum(['manual', 'platform']),
    recordedAt: z.iso.datetime(),
  })
  .meta({ id: 'FollowerCount' });
export type FollowerCount = z.infer<typeof followerCountSchema>;

export const followerCountRequestSchema = z
  .strictObject({
    platform: platformSchema,
    date: z.iso.date().meta({ description: "The date the count was read (the creator's calendar)" }),
    count: z.number().int().min(0).max(1e10),
  })
  .meta({ id: 'FollowerCountRequest' });
export type FollowerCountRequest = z.infer<typeof followerCountRequestSchema>;

export const followerHistoryResponseSchema = z
  .object({
    entry: followerCountSchema,
    history: z.array(followerCountSchema).meta({ description: "The platform's counts, one per date" }),
  })
  .meta({ id: 'FollowerCountRecorded' });
