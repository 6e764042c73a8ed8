import * as z from './zod';
import { multiLineText, platformSchema, singleLineText, timeZoneSchema } from './common';

const text = (max: number) => singleLineText().check(z.trim(), z.minLength(1), z.maxLength(max));
const paragraphs = (max: number) => multiLineText().check(z.trim(), z.minLength(1), z.maxLength(max));

export const onboardingRequestSchema = z.withMeta(
  z.strictObject({
    userName: text(80),
    creatorType: z.withMeta(text(80), { example: 'educator' }),
    niche: z.withMeta(text(120), { example: 'personal finance for students' }),
    targetAudienceNiche: text(200),
    timeZone: timeZoneSchema,
  }),
  { id: 'OnboardingRequest' },
);
export type OnboardingRequest = z.infer<typeof onboardingRequestSchema>;

export const phase2Fields = {
  uniqueAngle: paragraphs(500),
  selfPurpose: paragraphs(1000),
  selfStrengths: z.array(text(200)).check(z.minLength(1), z.maxLength(10)),
  existingPlatforms: z
    .array(
      z.strictObject({
        platform: platformSchema,
        handle: z.optional(text(200)),
        followers: z.optional(z.number().check(z.int(), z.gte(0))),
      }),
    )
    .check(z.maxLength(8)),
  targetPlatforms: z.array(platformSchema).check(z.minLength(1), z.maxLength(8)),
  selfTopics: z.array(text(200)).check(z.minLength(1), z.maxLength(20)),
  targetAudienceDemographics: z.strictObject({
    ageRange: z.optional(text(40)),
    genders: z.optional(z.array(text(40)).check(z.maxLength(5))),
    locations: z.optional(z.array(text(100)).check(z.maxLength(20))),
    interests: z.optional(z.array(text(100)).check(z.maxLength(20))),
  }),
  competitorAccounts: z.array(text(300)).check(z.maxLength(10)),
  existingAssets: z.array(text(300)).check(z.maxLength(20)),
  selfMotivation: paragraphs(1000),
  recommendedFrequency: z.withMeta(z.number().check(z.int(), z.gte(1), z.lte(28)), {
    description: 'Posts per week the creator can sustain',
  }),
} as const;

export type Phase2Field = keyof typeof phase2Fields;
export const phase2FieldNames = Object.keys(phase2Fields) as Phase2Field[];
export const phase1FieldNames = Object.keys(onboardingRequestSchema.shape) as (keyof OnboardingRequest)[];

export const phase2RequestSchema = z.withMeta(
  z
    .partial(z.strictObject(phase2Fields))
    .check(z.refine((body) => Object.keys(body).length > 0, { message: 'at least one phase-2 field is required' })),
  { id: 'Phase2Request' },
);
export type Phase2Request = z.infer<typeof phase2RequestSchema>;

export const agentContextSchema = z.withMeta(
  z.object({
    status: z.enum(['pending', 'ready', 'failed']),
    updatedAt: z.optional(z.iso.datetime()),
    analysis: z.withMeta(z.optional(z.record(z.string(), z.unknown())), {
      description:
        "The context analyzer's output (positioning, audience insight, content pillars, voice); a campaign started while it is newer than the profile reuses it",
    }),
    model: z.optional(z.string()),
    jobId: z.withMeta(z.optional(z.string()), { description: 'The analyze job that wrote it (POST /profile/analyze)' }),
  }),
  { id: 'AgentContextState' },
);

export const profileSchema = z.withMeta(
  z.object({
    userId: z.string(),
    ...onboardingRequestSchema.shape,
    ...z.partial(z.object(phase2Fields)).shape,
    phase2Completed: z.boolean(),
    agentContext: agentContextSchema,
    version: z.number().check(z.int()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'Profile' },
);
export type Profile = z.infer<typeof profileSchema>;

export const completionSchema = z.withMeta(
  z.object({
    percentage: z.number().check(z.int(), z.gte(0), z.lte(100)),
    phase1Completed: z.boolean(),
    phase2Completed: z.boolean(),
    missingFields: z.array(z.string()),
  }),
  { id: 'ProfileCompletion' },
);
export type Completion = z.infer<typeof completionSchema>;
