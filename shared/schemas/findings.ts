import * as z from 'zod';

export const findingDimensionSchema = z.enum(['hourBand', 'weekday', 'format', 'pillar', 'hookStyle']);
export type FindingDimension = z.infer<typeof findingDimensionSchema>;

export const findingConfidenceSchema = z.enum(['strong', 'suggestive', 'no claim', 'not enough evidence yet']);

/** One lesson as evidence: two arms of a dimension compared on baseline-relative scores (shared/domain/evidence.ts). */
export const findingSchema = z
  .object({
    dimension: findingDimensionSchema,
    arm: z.string(),
    versus: z.string().meta({ description: "The other arm when the dimension has two, else 'rest' (every other value of the dimension)" }),
    claim: z.string(),
    postIds: z
      .object({ arm: z.array(z.string()), rest: z.array(z.string()) })
      .meta({ description: 'Posts behind each arm (<day>#<platform>)' }),
    n: z.object({ arm: z.number().int(), rest: z.number().int() }),
    effect: z.number().optional().meta({ description: 'mean score of the arm − mean score of the rest, in baseline units' }),
    interval: z
      .object({ level: z.number(), low: z.number(), high: z.number() })
      .optional()
      .meta({ description: 'Normal bootstrap interval of the effect; level 1 − 0.05 / (comparisons made in the campaign)' }),
    confidence: findingConfidenceSchema.meta({
      description:
        'strong: the interval excludes 0 with ≥ 10 posts per arm; suggestive: with ≥ 5; below 5 per arm: not enough evidence yet',
    }),
    recommendation: z.string().optional().meta({ description: 'Only for strong and suggestive findings' }),
    learnedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().meta({ description: 'learnedAt + 180 days' }),
  })
  .meta({ id: 'Finding' });
export type Finding = z.infer<typeof findingSchema>;
