import * as z from '../../schemas/zod';
import type { Phase2Field, Profile } from '../../schemas/profile';

/** The profile fields the analyzer reads; a full `Profile` (or its start-time snapshot) fits. */
export type ContextInput = Pick<Profile, 'userName' | 'creatorType' | 'niche' | 'targetAudienceNiche' | 'timeZone' | Phase2Field>;

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const contentPillarSchema = z.object({
  name: z.withMeta(text(60), { description: 'Short name of the pillar, unique within the analysis' }),
  description: text(300),
  exampleTopics: z.array(text(120)).check(z.minLength(1), z.maxLength(5)),
});
export type ContentPillar = z.infer<typeof contentPillarSchema>;

export const contextAnalysisSchema = z.withMeta(
  z.object({
    positioning: z.withMeta(text(600), { description: 'What makes this creator worth following, and for whom' }),
    audienceInsight: z.withMeta(text(600), { description: 'What the target audience wants, struggles with and responds to' }),
    contentPillars: z.array(contentPillarSchema).check(
      z.minLength(3),
      z.maxLength(5),
      z.refine((pillars) => new Set(pillars.map((p) => p.name.trim().toLowerCase())).size === pillars.length, {
        message: 'content pillar names must be unique',
      }),
    ),
    voice: z.object({
      tone: text(160),
      dos: z.array(text(200)).check(z.minLength(1), z.maxLength(6)),
      donts: z.array(text(200)).check(z.minLength(1), z.maxLength(6)),
    }),
  }),
  { id: 'ContextAnalysis' },
);
export type ContextAnalysis = z.infer<typeof contextAnalysisSchema>;
