import * as z from 'zod';
import { multiLineText, platformSchema, singleLineText, timeZoneSchema } from './common';

const text = (max: number) => singleLineText().trim().min(1).max(max);
const paragraphs = (max: number) => multiLineText().trim().min(1).max(max);

export const onboardingRequestSchema = z
  .strictObject({
    userName: text(80),
    creatorType: text(80).meta({ example: 'educator' }),
    niche: text(120).meta({ example: 'personal finance for students' }),
    targetAudienceNiche: text(200),
    timeZone: timeZoneSchema,
  })
  .meta({ id: 'OnboardingRequest' });
export type OnboardingRequest = z.infer<typeof onboardingRequestSchema>;

export const phase2Fields = {
  uniqueAngle: paragraphs(500),
  selfPurpose: paragraphs(1000),
  selfStrengths: z.array(text(200)).min(1).max(10),
  existingPlatforms: z
    .array(
      z.strictObject({
        platform: platformSchema,
        handle: text(200).optional(),
        followers: z.number().int().min(0).optional(),
      }),
    )
    .max(8),
  targetPlatforms: z.array(platformSchema).min(1).max(8),
  selfTopics: z.array(text(200)).min(1).max(20),
  targetAudienceDemographics: z.strictObject({
    ageRange: text(40).optional(),
    genders: z.array(text(40)).max(5).optional(),
    locations: z.array(text(100)).max(20).optional(),
    interests: z.array(text(100)).max(20).optional(),
  }),
  competitorAccounts: z.array(text(300)).max(10),
  existingAssets: z.array(text(300)).max(20),
  selfMotivation: paragraphs(1000),
  recommendedFrequency: z.number().int().min(1).max(28).meta({ description: 'Posts per week the creator can sustain' }),
} as const;

export type Phase2Field = keyof typeof phase2Fields;
export const phase2FieldNames = Object.keys(phase2Fields) as Phase2Field[];
export const phase1FieldNames = Object.keys(onboardingRequestSchema.shape) as (keyof OnboardingRequest)[];

export const phase2RequestSchema = z
  .strictObject(phase2Fields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one phase-2 field is required' })
  .meta({ id: 'Phase2Request' });
export type Phase2Request = z.infer<typeof phase2RequestSchema>;

export const agentContextSchema = z
  .object({
    status: z.enum(['pending', 'ready', 'failed']),
    updatedAt: z.iso.datetime().optional(),
    analysis: z.record(z.string(), z.unknown()).optional().meta({
      description:
        "The context analyzer's output (positioning, audience insight, content pillars, voice); a campaign started while it is newer than the profile reuses it",
    }),
    model: z.string().optional(),
    jobId: z.string().optional().meta({ description: 'The analyze job that wrote it (POST /profile/analyze)' }),
  })
  .meta({ id: 'AgentContextState' });

export const profileSchema = z
  .object({
    userId: z.string(),
    ...onboardingRequestSchema.shape,
    ...z.object(phase2Fields).partial().shape,
    phase2Completed: z.boolean(),
    agentContext: agentContextSchema,
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof profileSchema>;

export const completionSchema = z
  .object({
    percentage: z.number().int().min(0).max(100),
    phase1Completed: z.boolean(),
    phase2Completed: z.boolean(),
    missingFields: z.array(z.string()),
  })
  .meta({ id: 'ProfileCompletion' });
export type Completion = z.infer<typeof completionSchema>;
