import * as z from './zod';

/** A post's score against the creator's own recent posts on its platform (shared/domain/scores.ts). */
export const postScoreSchema = z.withMeta(
  z.discriminatedUnion('status', [
    z.object({
      status: z.literal('scored'),
      z: z.withMeta(z.number(), {
        description: '(ln(1 + engagement) − median) ÷ (1.4826 × MAD) of the last 30 earlier posts of the platform',
      }),
      baselinePosts: z.number().check(z.int(), z.gte(5), z.lte(30)),
      basis: z.withMeta(z.enum(['interactions', 'views']), { description: 'views where no post of the platform reports interactions' }),
    }),
    z.object({
      status: z.literal('no baseline yet'),
      baselinePosts: z.withMeta(z.number().check(z.int(), z.gte(0), z.lte(4)), {
        description: 'Earlier posts with metrics on the platform (5 needed)',
      }),
    }),
  ]),
  { id: 'PostScore' },
);
export type PostScore = z.infer<typeof postScoreSchema>;
