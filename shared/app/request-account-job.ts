import { newJobId, progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { deleteSteps, exportSteps } from '../schemas/vocabulary';
import { startSingleJob } from '../workflow/job-start';

/**
 * GDPR, the request side (the worker is ./account-data.ts): GET /account/export and DELETE /account
 * start one job each, at most one running per creator and kind; a second request while it runs
 * answers the same job. The Clerk `user.deleted` webhook calls requestAccountDeletion too.
 */
interface AccountJobConfig {
  table: string;
  /** The account data worker (ACCOUNT_DATA_FUNCTION_NAME). */
  workerFunction: string;
}

/** Longer than the worker's 15-minute timeout: a job untouched this long never reached its worker and is invoked again. */
export const ACCOUNT_JOB_STALE_MS = 16 * 60 * 1000;

export function requestExport(config: AccountJobConfig, userId: string, now: string): Promise<Job> {
  const job: Job = {
    jobId: newJobId(Date.parse(now)),
    kind: 'export',
    status: 'queued',
    progress: progressOf('queued', exportSteps),
    createdAt: now,
    updatedAt: now,
  };
  return startSingleJob(config.table, config.workerFunction, userId, job, ACCOUNT_JOB_STALE_MS);
}

/** Starts (or answers the running) deletion of every item and object of the creator. */
export function requestAccountDeletion(config: AccountJobConfig, userId: string, now: string): Promise<Job> {
  const job: Job = {
    jobId: newJobId(Date.parse(now)),
    kind: 'delete',
    status: 'queued',
    progress: progressOf('queued', deleteSteps),
    createdAt: now,
    updatedAt: now,
  };
  return startSingleJob(config.table, config.workerFunction, userId, job, ACCOUNT_JOB_STALE_MS);
}
