import * as z from './zod';
import { JOB_ID_PATTERN, multiLineText, platformSchema } from './common';
import { jobStatuses, regenerateSteps, completeSteps, analyzeSteps, exportSteps, deleteSteps } from './vocabulary';

export const jobIdSchema = z.withMeta(z.string().check(z.regex(JOB_ID_PATTERN)), { description: 'Job id (ULID, time-sortable)' });
export const jobStatusSchema = z.withMeta(z.enum(jobStatuses), { id: 'JobStatus' });

export const regenerateRequestSchema = z.optional(
  z.withMeta(
    z.strictObject({
      instructions: z.withMeta(z.optional(multiLineText().check(z.trim(), z.minLength(1), z.maxLength(1000))), {
        description: 'What to change, given to the writer like a critique',
      }),
    }),
    { id: 'RegenerateRequest' },
  ),
);

export const jobCostSchema = z.withMeta(
  z.object({
    llmCalls: z.number().check(z.int()),
    tokensIn: z.number().check(z.int()),
    tokensOut: z.number().check(z.int()),
    images: z.number().check(z.int()),
    costMicroUsd: z.number().check(z.int()),
    byokLlmCalls: z.withMeta(z.optional(z.number().check(z.int())), {
      description: "Calls answered on the creator's own Gemini key (not in costMicroUsd)",
    }),
    byokTokensIn: z.optional(z.number().check(z.int())),
    byokTokensOut: z.optional(z.number().check(z.int())),
  }),
  { id: 'JobCost' },
);

const jobFields = {
  jobId: jobIdSchema,
  status: jobStatusSchema,
  instructions: z.optional(z.string()),
  cost: z.optional(jobCostSchema),
  result: z.optional(
    z.object({
      version: z.withMeta(z.number().check(z.int()), {
        description: "The post's (regenerate) or the campaign's (complete) new version; the profile version analyzed (analyze)",
      }),
      thumbnailKey: z.optional(z.string()),
      score: z.optional(z.number()),
    }),
  ),
  error: z.optional(z.object({ code: z.string(), message: z.string() })),
  leaseExpiresAt: z.withMeta(z.optional(z.iso.datetime()), {
    description: "While running: the worker's deadline; a job running past it is reported failed with TIMEOUT",
  }),
  handedOffAt: z.withMeta(z.optional(z.iso.datetime()), {
    description:
      'A deletion whose worker neared its deadline and handed it to its next invocation (which removes the mark when it takes over); the job stays running',
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
const percent = z.number().check(z.int(), z.gte(0), z.lte(100));

export const jobSchema = z.withMeta(
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('regenerate'),
      target: z.object({ campaignId: z.uuid(), day: z.number().check(z.int()), platform: platformSchema }),
      progress: z.object({ step: z.enum(regenerateSteps), percent }),
      ...jobFields,
    }),
    z.object({
      kind: z.literal('analyze'),
      target: z.object({ profileVersion: z.withMeta(z.number().check(z.int()), { description: 'The profile version analyzed' }) }),
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
      result: z.optional(
        z.object({
          objectKey: z.withMeta(z.string(), { description: 'Where the ZIP is kept (exports/<uid>/<jobId>.zip, expires after 7 days)' }),
          bytes: z.number().check(z.int()),
          items: z.withMeta(z.number().check(z.int()), { description: 'Table items in items.json' }),
          objects: z.withMeta(z.number().check(z.int()), { description: 'Media objects under objects/' }),
          vanished: z.withMeta(z.optional(z.number().check(z.int())), {
            description:
              "Objects listed but deleted before they were read (a campaign deleted during the export), named in manifest.json's vanished",
          }),
          downloadUrl: z.withMeta(z.optional(z.url()), {
            description: 'Presigned GET of the ZIP, signed afresh by GET /jobs/{id} (15 min)',
          }),
        }),
      ),
    }),
    z.object({
      kind: z.literal('delete'),
      progress: z.object({ step: z.enum(deleteSteps), percent }),
      ...jobFields,
      result: z.optional(
        z.object({
          items: z.number().check(z.int()),
          objectVersions: z.number().check(z.int()),
          executionsStopped: z.number().check(z.int()),
        }),
      ),
    }),
  ]),
  { id: 'Job' },
);
export type Job = z.infer<typeof jobSchema>;

export const jobPathSchema = z.strictObject({ id: jobIdSchema });

export const listJobsQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
