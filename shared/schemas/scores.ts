import * as z from 'zod';

/** A post's score against the creator's own recent posts on its platform (shared/domain/scores.ts). */
export const postScoreSchema = z
  .discriminatedUnion('status', [
    z.object({
      status: z.literal('scored'),
      z: z.number().meta({ description: '(ln(1 + engagement) − median) ÷ (1.4826 × MAD) of the last 30 earlier posts of the platform' }),
      baselinePosts: z.number().int().min(5).max(30),
      basis: z.enum(['interactions', 'views']).meta({ description: 'views where no post of the platform reports interactions' }),
    }),
    z.object({
      status: z.literal('no baseline yet'),
      baselinePosts: z.number().int().min(0).max(4).meta({ description: 'Earlier posts with metrics on the platform (5 needed)' }),
    }),
  ])
  .meta({ id: 'PostScore' });
export type PostScore = z.infer<typeof postScoreSchema>;
