import * as z from './zod';
import { goalTypeSchema } from './campaign-fields';
import { pacingBases, pacingStatuses } from './vocabulary';

export const pacingStatusSchema = z.withMeta(z.enum(pacingStatuses), {
  id: 'PacingStatus',
  description:
    "behind: the projection's 80 % upper bound is below the target; ahead: its lower bound is at or above it; on_track otherwise; not_measurable: Crescendo reads no number for this goal",
});

export const pacingDaySchema = z.withMeta(
  z.object({
    day: z.withMeta(z.number().check(z.int(), z.gte(1)), { description: '1-based day of the campaign' }),
    date: z.withMeta(z.iso.date(), { description: "Local date in the creator's time zone" }),
    actual: z.withMeta(z.number(), {
      description: "The goal's value at the end of the day (baseline + what was gained, where the goal has a baseline)",
    }),
    projected: z.withMeta(z.object({ final: z.number(), low: z.number(), high: z.number() }), {
      description: 'The final value projected from the days up to this one, with its 80 % prediction interval',
    }),
    status: z.enum(pacingStatuses.filter((status) => status !== 'not_measurable')),
  }),
  { id: 'PacingDay' },
);
export type PacingDay = z.infer<typeof pacingDaySchema>;

export const pacingSchema = z.withMeta(
  z.object({
    campaignId: z.uuid(),
    goal: z.object({ type: goalTypeSchema, metric: z.string(), target: z.number(), baseline: z.optional(z.number()) }),
    status: z.withMeta(pacingStatusSchema, { description: "Today's status (the last day's); on_track before the first day" }),
    basis: z.withMeta(z.optional(z.enum(pacingBases)), {
      description:
        'What the value is measured by: followerCounts (the counts entered or imported on the campaign platforms), followersGained (the posts reported gains), views or engagement (likes + comments + shares + saves) of the posted posts',
    }),
    reason: z.withMeta(z.optional(z.string()), { description: 'Why the goal is not measurable' }),
    durationDays: z.number().check(z.int()),
    days: z.withMeta(z.array(pacingDaySchema), { description: 'Every day so far, the first first; empty when not measurable' }),
  }),
  { id: 'Pacing' },
);
export type Pacing = z.infer<typeof pacingSchema>;
