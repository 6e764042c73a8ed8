import { jobPathSchema, jobSchema, listJobsQuerySchema } from '../../schemas/jobs';
import * as z from '../../schemas/zod';
import type { RouteDef } from './route';

/** Async jobs (analysis, regeneration, report): read and list. */
export const jobRoutes = [
  {
    id: 'GetJob',
    method: 'GET',
    path: '/jobs/{id}',
    entry: 'functions/api/job-get.ts',
    auth: 'jwt',
    summary: "One of the caller's jobs: status, progress, cost and result (a finished export with a fresh presigned download URL)",
    tag: 'jobs',
    request: { params: jobPathSchema },
    response: { status: 200, data: jobSchema },
    errors: ['JOB_NOT_FOUND'],
    // read: signs the download URL of a finished export.
    mcp: {
      tool: 'get_job',
      description:
        'One background job (a regeneration, a profile analysis, a campaign report): status, progress, cost and result. Poll it every few seconds after a tool returned a job, until succeeded or failed. Free, read-only.',
    },
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'ListJobs',
    method: 'GET',
    path: '/jobs',
    entry: 'functions/api/job-list.ts',
    auth: 'jwt',
    summary: "The caller's jobs, newest first, cursor-paginated",
    tag: 'jobs',
    request: { query: listJobsQuerySchema },
    response: { status: 200, data: z.array(jobSchema) },
    errors: ['INVALID_CURSOR'],
    access: { table: 'read', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
