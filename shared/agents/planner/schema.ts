import * as z from '../../schemas/zod';
import { PLANNER_MAX_POSTS, type CalendarPost } from '../../domain/schedule';
import { platformSchema } from '../../schemas/common';
import type { ContentPillar } from '../context/schema';
import type { Strategy } from '../strategist/schema';

/** One post of the calendar, as buildSchedule lays it out. */

export interface PlannerInput {
  strategy: Strategy;
  /** The context analysis's content pillars (names, descriptions, example topics). */
  pillars: ContentPillar[];
  /** The calendar's posts, at most PLANNER_MAX_POSTS. */
  posts: CalendarPost[];
  /**
   * The campaign's whole calendar (these posts included) when it is planned in several calls at
   * once: each week keeps to its own theme, and the offline twin plans the whole calendar with the
   * calls' shared seed and returns these posts' part, so parallel calls never repeat a topic.
   */
  calendar?: CalendarPost[];
}

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const plannedTopicSchema = z.object({
  day: z.number().check(z.int(), z.gte(1), z.lte(90)),
  platform: z.enum(platformSchema.options),
  pillar: z.withMeta(text(60), { description: 'One of the content pillars, by its exact name' }),
  topic: z.withMeta(text(160), { description: 'A specific working title for this post' }),
  angle: z.withMeta(text(300), {
    description: 'How the post approaches the topic on its platform, in one short clause (not the week, theme or format)',
  }),
});
export type PlannedTopic = z.infer<typeof plannedTopicSchema>;

export const postPlanSchema = z.withMeta(
  z.object({
    posts: z.withMeta(z.array(plannedTopicSchema).check(z.maxLength(PLANNER_MAX_POSTS)), {
      description: 'One entry per calendar post, in calendar order',
    }),
  }),
  { id: 'PostPlan' },
);
export type PostPlan = z.infer<typeof postPlanSchema>;
