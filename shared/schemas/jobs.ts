import * as z from 'zod';
import { JOB_ID_PATTERN, multiLineText, platformSchema } from './common';
import { jobStatuses, regenerateSteps, completeSteps, analyzeSteps, exportSteps, deleteSteps } from './vocabulary';

export const jobIdSchema = z.string().regex(JOB_ID_PATTERN).meta({ description: 'Job id (ULID, time-sortable)' });
export const jobStatusSchema = z.enum(jobStatuses).meta({ id: 'JobStatus' });

export const regenerateRequestSchema = z
  .strictObject({
    instructions: multiLineText()
      .trim()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'What to change, given to the writer like a critique' }),
  })
  .meta({ id: 'RegenerateRequest' })
  .optional();

export const jobCostSchema = z
  .object({
    llmCalls: z.number().int(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    images: z.number().int(),
    costMicroUsd: z.number().int(),
    byokLlmCalls: z.number().int().optional().meta({ description: "Calls answered on the creator's own Gemini key (not in costMicroUsd)" }),
    byokTokensIn: z.number().int().optional(),
    byokTokensOut: z.number().int().optional(),
  })
  .meta({ id: 'JobCost' });

const jobFields = {
  jobId: jobIdSchema,
  status: jobStatusSchema,
  instructions: z.string().optional(),
  cost: jobCostSchema.optional(),
  result: z
    .object({
      version: z
        .number()
        .int()
        .meta({ description: "The post's (regenerate) or the campaign's (complete) new version; the profile version analyzed (analyze)" }),
      thumbnailKey: z.string().optional(),
      score: z.number().optional(),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  leaseExpiresAt: z.iso
    .datetime()
    .optional()
    .meta({ description: "While running: the worker's deadline; a job running past it is reported failed with TIMEOUT" }),
  handedOffAt: z.iso.datetime().optional().meta({
    description:
      'A deletion whose worker neared its deadline and handed it to its next invocation (which removes the mark when it takes over); the job stays running',
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
const percent = z.number().int().min(0).max(100);

export const jobSchema = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('regenerate'),
      target: z.object({ campaignId: z.uuid(), day: z.number().int(), platform: platformSchema }),
      progress: z.object({ step: z.enum(regenerateSteps), percent }),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('analyze'),
      target: z.object({ profileVersion: z.number().int().meta({ description: 'The profile version analyzed' }) }),
      progress: z.object({ step: z.enum(analyzeSteps), percent }),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('complete'),
      target: z.object({ campaignId: z.uuid() }),
      progress: z.object({ step: z.enum(completeSteps), percent }),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('export'),
      progress: z.object({ step: z.enum(exportSteps), percent }),
      ...jobFields,
      result: z
        .object({
          objectKey: z.string().meta({ description: 'Where the ZIP is kept (exports/<uid>/<jobId>.zip, expires after 7 days)' }),
          bytes: z.number().int(),
          items: z.number().int().meta({ description: 'Table items in items.json' }),
          objects: z.number().int().meta({ description: 'Media objects under objects/' }),
          vanished: z.number().int().optional().meta({
            description:
              "Objects listed but deleted before they were read (a campaign deleted during the export), named in manifest.json's vanished",
          }),
          downloadUrl: z.url().optional().meta({ description: 'Presigned GET of the ZIP, signed afresh by GET /jobs/{id} (15 min)' }),
        })
        .optional(),
    }),
    z.object({
      kind: z.literal('delete'),
      progress: z.object({ step: z.enum(deleteSteps), percent }),
      ...jobFields,
      result: z.object({ items: z.number().int(), objectVersions: z.number().int(), executionsStopped: z.number().int() }).optional(),
    }),
  ])
  .meta({ id: 'Job' });
export type Job = z.infer<typeof jobSchema>;

export const jobPathSchema = z.strictObject({ id: jobIdSchema });

export const listJobsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});
