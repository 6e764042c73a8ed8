import * as z from 'zod';
import type { Phase2Field, Profile } from '../../schemas/profile';

/** The profile fields the analyzer reads; a full `Profile` (or its start-time snapshot) fits. */
export type ContextInput = Pick<Profile, 'userName' | 'creatorType' | 'niche' | 'targetAudienceNiche' | 'timeZone' | Phase2Field>;

const text = (max: number) => z.string().min(1).max(max);

export const contentPillarSchema = z.object({
  name: text(60).meta({ description: 'Short name of the pillar, unique within the analysis' }),
  description: text(300),
  exampleTopics: z.array(text(120)).min(1).max(5),
});
export type ContentPillar = z.infer<typeof contentPillarSchema>;

export const contextAnalysisSchema = z
  .object({
    positioning: text(600).meta({ description: 'What makes this creator worth following, and for whom' }),
    audienceInsight: text(600).meta({ description: 'What the target audience wants, struggles with and responds to' }),
    contentPillars: z
      .array(contentPillarSchema)
      .min(3)
      .max(5)
      .refine((pillars) => new Set(pillars.map((p) => p.name.trim().toLowerCase())).size === pillars.length, {
        message: 'content pillar names must be unique',
      }),
    voice: z.object({
      tone: text(160),
      dos: z.array(text(200)).min(1).max(6),
      donts: z.array(text(200)).min(1).max(6),
    }),
  })
  .meta({ id: 'ContextAnalysis' });
export type ContextAnalysis = z.infer<typeof contextAnalysisSchema>;
