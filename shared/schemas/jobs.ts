import * as z from 'zod';
import { platformSchema } from './common';
import { JOB_ID_PATTERN, jobStatuses, regenerateSteps } from '../domain/jobs';

export const jobIdSchema = z.string().regex(JOB_ID_PATTERN).meta({ description: 'Job id (ULID, time-sortable)' });
export const jobStatusSchema = z.enum(jobStatuses).meta({ id: 'JobStatus' });

export const regenerateRequestSchema = z
  .strictObject({
    instructions: z.string().trim().min(1).max(1000).optional().meta({ description: 'What to change, given to the writer like a critique' }),
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
  })
  .meta({ id: 'JobCost' });

export const jobSchema = z
  .object({
    jobId: jobIdSchema,
    kind: z.literal('regenerate'),
    status: jobStatusSchema,
    target: z.object({ campaignId: z.uuid(), day: z.number().int(), platform: platformSchema }),
    instructions: z.string().optional(),
    progress: z.object({ step: z.enum(regenerateSteps), percent: z.number().int().min(0).max(100) }),
    cost: jobCostSchema.optional(),
    result: z.object({ version: z.number().int(), thumbnailKey: z.string().optional(), score: z.number().optional() }).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof jobSchema>;

export const jobPathSchema = z.strictObject({ id: jobIdSchema });

export const listJobsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});
