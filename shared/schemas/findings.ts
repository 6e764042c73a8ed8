import * as z from './zod';

export const findingDimensionSchema = z.enum(['hourBand', 'weekday', 'format', 'pillar', 'hookStyle']);
export type FindingDimension = z.infer<typeof findingDimensionSchema>;

export const findingConfidenceSchema = z.enum(['strong', 'suggestive', 'no claim', 'not enough evidence yet']);

/** One lesson as evidence: two arms of a dimension compared on baseline-relative scores (shared/domain/evidence.ts). */
export const findingSchema = z.withMeta(
  z.object({
    dimension: findingDimensionSchema,
    arm: z.string(),
    versus: z.withMeta(z.string(), {
      description: "The other arm when the dimension has two, else 'rest' (every other value of the dimension)",
    }),
    claim: z.string(),
    postIds: z.withMeta(z.object({ arm: z.array(z.string()), rest: z.array(z.string()) }), {
      description: 'Posts behind each arm (<day>#<platform>)',
    }),
    n: z.object({ arm: z.number().check(z.int()), rest: z.number().check(z.int()) }),
    effect: z.withMeta(z.optional(z.number()), { description: 'mean score of the arm − mean score of the rest, in baseline units' }),
    interval: z.withMeta(z.optional(z.object({ level: z.number(), low: z.number(), high: z.number() })), {
      description: 'Normal bootstrap interval of the effect; level 1 − 0.05 / (comparisons made in the campaign)',
    }),
    confidence: z.withMeta(findingConfidenceSchema, {
      description:
        'strong: the interval excludes 0 with ≥ 10 posts per arm; suggestive: with ≥ 5; below 5 per arm: not enough evidence yet',
    }),
    recommendation: z.withMeta(z.optional(z.string()), { description: 'Only for strong and suggestive findings' }),
    learnedAt: z.iso.datetime(),
    expiresAt: z.withMeta(z.iso.datetime(), { description: 'learnedAt + 180 days' }),
  }),
  { id: 'Finding' },
);
export type Finding = z.infer<typeof findingSchema>;
