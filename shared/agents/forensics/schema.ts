import * as z from 'zod';
import type { Platform } from '../../schemas/common';

export interface ForensicsInput {
  niche: string;
  /** Handles or profile URLs from the campaign, as the creator typed them; may be empty. */
  competitors: string[];
  platforms: Platform[];
}

export const MAX_COMPETITORS = 10;

const text = (max: number) => z.string().min(1).max(max);

export const competitorInsightSchema = z.object({
  handle: text(300).meta({ description: 'The handle or URL exactly as provided' }),
  likelyContent: text(500),
  hooks: z.array(text(200)).min(1).max(5),
  cadence: text(300),
});
export type CompetitorInsight = z.infer<typeof competitorInsightSchema>;

export const forensicsReportSchema = z
  .object({
    disclaimer: text(600)
      .meta({
        description:
          'States that no scraping was done and that the analysis reasons only from what the creator provided and general knowledge of the niche',
      })
      .refine((value) => /scrap/i.test(value), { message: 'the disclaimer must state that no scraping was done' }),
    competitors: z.array(competitorInsightSchema).max(MAX_COMPETITORS),
    gaps: z.array(text(300)).min(1).max(8).meta({ description: 'Opportunities the creator can exploit' }),
  })
  .meta({ id: 'ForensicsReport' });
export type ForensicsReport = z.infer<typeof forensicsReportSchema>;
