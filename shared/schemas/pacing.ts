import * as z from 'zod';
import { goalTypeSchema } from './campaign';
import { pacingBases, pacingStatuses } from './vocabulary';

export const pacingStatusSchema = z.enum(pacingStatuses).meta({
  id: 'PacingStatus',
  description:
    "behind: the projection's 80 % upper bound is below the target; ahead: its lower bound is at or above it; on_track otherwise; not_measurable: Crescendo reads no number for this goal",
});

export const pacingDaySchema = z
  .object({
    day: z.number().int().min(1).meta({ description: '1-based day of the campaign' }),
    date: z.iso.date().meta({ description: "Local date in the creator's time zone" }),
    actual: z
      .number()
      .meta({ description: "The goal's value at the end of the day (baseline + what was gained, where the goal has a baseline)" }),
    projected: z
      .object({ final: z.number(), low: z.number(), high: z.number() })
      .meta({ description: 'The final value projected from the days up to this one, with its 80 % prediction interval' }),
    status: pacingStatusSchema.exclude(['not_measurable']),
  })
  .meta({ id: 'PacingDay' });
export type PacingDay = z.infer<typeof pacingDaySchema>;

export const pacingSchema = z
  .object({
    campaignId: z.uuid(),
    goal: z.object({ type: goalTypeSchema, metric: z.string(), target: z.number(), baseline: z.number().optional() }),
    status: pacingStatusSchema.meta({ description: "Today's status (the last day's); on_track before the first day" }),
    basis: z.enum(pacingBases).optional().meta({
      description:
        'What the value is measured by: followerCounts (the counts entered or imported on the campaign platforms), followersGained (the posts reported gains), views or engagement (likes + comments + shares + saves) of the posted posts',
    }),
    reason: z.string().optional().meta({ description: 'Why the goal is not measurable' }),
    durationDays: z.number().int(),
    days: z.array(pacingDaySchema).meta({ description: 'Every day so far, the first first; empty when not measurable' }),
  })
  .meta({ id: 'Pacing' });
export type Pacing = z.infer<typeof pacingSchema>;
