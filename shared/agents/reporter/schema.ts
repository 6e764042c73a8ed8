import * as z from '../../schemas/zod';
import { platformSchema } from '../../schemas/common';
import type { Finding } from '../../schemas/findings';
import type { CampaignOutcomeNumbers, PredictionCheck } from '../../schemas/report';

export type ReporterFinding = Omit<Finding, 'postIds'>;

export interface ReporterInput {
  niche: string;
  durationDays: number;
  /** Everything but the full slot table (the best slot per platform is in `bestPostingTimes`) and the findings' post ids. */
  numbers: Omit<CampaignOutcomeNumbers, 'postingSlots' | 'findings' | 'prediction'> & {
    findings: ReporterFinding[];
    /** The prediction check without its per-post rows (the report shows them). */
    prediction?: Omit<PredictionCheck, 'posts'>;
  };
}

const platformEnum = z.enum(platformSchema.options);
const reporterLessonSchema = z.object({
  text: z.string().check(z.minLength(1), z.maxLength(400)),
  platform: z.optional(platformEnum),
  pillar: z.optional(z.string().check(z.minLength(1), z.maxLength(60))),
  evidence: z.withMeta(z.optional(z.string().check(z.minLength(1), z.maxLength(300))), {
    description: 'The numbers from the data this lesson rests on, quoted exactly',
  }),
});

export const reporterOutputSchema = z.object({
  summary: z.withMeta(z.string().check(z.minLength(1), z.maxLength(1200)), {
    description: 'Goal against achieved, with the numbers, in a few sentences',
  }),
  whatWorked: z.array(reporterLessonSchema).check(z.maxLength(12)),
  whatFailed: z.array(reporterLessonSchema).check(z.maxLength(12)),
  recommendations: z.array(reporterLessonSchema).check(z.maxLength(12)),
});
export type ReporterOutput = z.infer<typeof reporterOutputSchema>;
