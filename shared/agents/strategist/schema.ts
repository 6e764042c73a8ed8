import * as z from '../../schemas/zod';
import { postingOffsets } from '../../domain/schedule';
import type { goalSchema, goalTypeSchema } from '../../schemas/campaign-fields';
import { platformSchema, type Platform } from '../../schemas/common';
import type { ContextAnalysis } from '../context/schema';
import type { ForensicsReport } from '../forensics/schema';

export type CampaignGoal = z.infer<typeof goalSchema>;
export type GoalType = z.infer<typeof goalTypeSchema>;

/** What an earlier campaign taught (the learning memory `MEM#<goalType>#<platform>#<cid>`). */
export interface LearningMemory {
  id: string;
  goalType: GoalType;
  platform: Platform;
  niche: string;
  whatWorked: string[];
  whatFailed: string[];
  recommendations: string[];
  /** The lessons' summary as the creator approved it (their edits verbatim); absent on memories stored before it. */
  summary?: string;
}

export const MAX_MEMORIES = 5;
/** A campaign lasts at most 90 days: 13 weeks, the last one partial. */
export const MAX_WEEKS = 13;

export interface StrategistInput {
  /** The creator's niche, which learning memories are matched on. */
  niche: string;
  goal: CampaignGoal;
  durationDays: number;
  platforms: { platform: Platform; postsPerWeek: number }[];
  context: ContextAnalysis;
  forensics: ForensicsReport;
  /** At most MAX_MEMORIES; more are ignored. */
  memories: LearningMemory[];
}

/** Weeks of a campaign, the last one possibly partial. */
export const weeksIn = (durationDays: number) => Math.min(MAX_WEEKS, Math.max(1, Math.ceil(durationDays / 7)));

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
/** The platform enum without its schema id, so the response schema stays one flat definition. */
const platformEnum = z.enum(platformSchema.options);

export const weeklyThemeSchema = z.object({
  week: z.number().check(z.int(), z.gte(1), z.lte(MAX_WEEKS)),
  theme: text(120),
  focus: text(400),
});
export type WeeklyTheme = z.infer<typeof weeklyThemeSchema>;

export const kpiSchema = z.object({
  metric: text(120),
  target: z.number().check(z.gte(0)),
  platform: z.optional(platformEnum),
});
export type Kpi = z.infer<typeof kpiSchema>;

export const strategySchema = z.withMeta(
  z.object({
    summary: text(900),
    positioning: text(600),
    pillars: z.withMeta(z.array(text(60)).check(z.minLength(1), z.maxLength(5)), {
      description: 'Names of the content pillars used, exactly as in the context analysis',
    }),
    weeklyThemes: z.withMeta(
      z.array(weeklyThemeSchema).check(
        z.minLength(1),
        z.maxLength(MAX_WEEKS),
        z.refine((weeks) => new Set(weeks.map((w) => w.week)).size === weeks.length, {
          message: 'one theme per week: week numbers must be unique',
        }),
      ),
      { description: 'One theme for every week of the campaign, week 1 first' },
    ),
    kpis: z.array(kpiSchema).check(z.minLength(1), z.maxLength(10)),
    appliedMemories: z.withMeta(z.array(z.object({ id: text(200), how: text(400) })).check(z.maxLength(MAX_MEMORIES)), {
      description: 'Each learning memory used, by its exact id, and how it changed the plan; empty when none applies',
    }),
  }),
  { id: 'Strategy' },
);
export type Strategy = z.infer<typeof strategySchema>;

/** Posts per platform over the campaign, as the posting calendar lays them out. */
export function postsPerPlatform(input: Pick<StrategistInput, 'durationDays' | 'platforms'>): Map<Platform, number> {
  const counts = new Map<Platform, number>();
  for (let start = 0; start < input.durationDays; start += 7) {
    const days = Math.min(7, input.durationDays - start);
    for (const { platform, postsPerWeek } of input.platforms) {
      counts.set(platform, (counts.get(platform) ?? 0) + postingOffsets(postsPerWeek, days).length);
    }
  }
  return counts;
}

export const totalPosts = (input: Pick<StrategistInput, 'durationDays' | 'platforms'>) =>
  [...postsPerPlatform(input).values()].reduce((a, b) => a + b, 0);
