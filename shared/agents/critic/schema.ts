import * as z from '../../schemas/zod';
import type { ContentViolation } from '../../domain/content-checks';
import type { Violation } from '../../domain/platform-rules';
import { platformSchema, type Platform } from '../../schemas/common';
import type { WriterGoal, WriterPost } from '../writer/schema';

/** A drafted post as the critic sees it: the writer's output with the plan's format (and topic, when known). */
export interface CriticPost extends WriterPost {
  format: string;
  pillar?: string;
  topic?: string;
  angle?: string;
}

export interface CriticInput {
  strategy: { summary: string; pillars?: readonly string[] };
  goal: WriterGoal;
  niche?: string;
  audience?: string;
  /** The critique bar: reasons are asked for only for posts scored below it (absent: for every post). */
  bar?: number;
  posts: readonly CriticPost[];
}

export const criticReviewSchema = z.object({
  day: z.number().check(z.int(), z.gte(1), z.lte(90)),
  platform: z.enum(platformSchema.options),
  score: z.withMeta(z.number().check(z.gte(0), z.lte(10)), { description: '0 (unusable) to 10 (ready to post)' }),
  reasons: z.withMeta(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(400))).check(z.maxLength(8)), {
    description: 'The fixes a post below the bar needs (hook, clarity, fit to the strategy and the goal); empty at or above the bar',
  }),
});

export const criticOutputSchema = z.object({ reviews: z.array(criticReviewSchema).check(z.maxLength(200)) });

export type CriticReview = z.infer<typeof criticReviewSchema>;
export type CriticOutput = z.infer<typeof criticOutputSchema>;

/** The final judgment of one post: the model's score capped by hard violations, and every reason. */
export interface Critique {
  day: number;
  platform: Platform;
  /** 0–10, one decimal. */
  score: number;
  /** Hard-check messages first, then the critic's reasons. */
  reasons: string[];
  violations: (Violation | ContentViolation)[];
}
