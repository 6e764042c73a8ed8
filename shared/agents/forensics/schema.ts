import * as z from '../../schemas/zod';
import type { Platform } from '../../schemas/common';

export interface ForensicsInput {
  niche: string;
  /** Handles or profile URLs from the campaign, as the creator typed them; may be empty. */
  competitors: string[];
  platforms: Platform[];
}

export const MAX_COMPETITORS = 10;

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const competitorInsightSchema = z.object({
  handle: z.withMeta(text(300), { description: 'The handle or URL exactly as provided' }),
  likelyContent: text(500),
  hooks: z.array(text(200)).check(z.minLength(1), z.maxLength(5)),
  cadence: text(300),
});
export type CompetitorInsight = z.infer<typeof competitorInsightSchema>;

export const forensicsReportSchema = z.withMeta(
  z.object({
    disclaimer: z
      .withMeta(text(600), {
        description:
          'States that no scraping was done and that the analysis reasons only from what the creator provided and general knowledge of the niche',
      })
      .check(z.refine((value) => /scrap/i.test(value), { message: 'the disclaimer must state that no scraping was done' })),
    competitors: z.array(competitorInsightSchema).check(z.maxLength(MAX_COMPETITORS)),
    gaps: z.withMeta(z.array(text(300)).check(z.minLength(1), z.maxLength(8)), { description: 'Opportunities the creator can exploit' }),
  }),
  { id: 'ForensicsReport' },
);
export type ForensicsReport = z.infer<typeof forensicsReportSchema>;
