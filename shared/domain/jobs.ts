import { randomBytes } from 'node:crypto';
import {
  jobStatuses,
  type JobStatus,
  regenerateSteps,
  type RegenerateStep,
  completeSteps,
  type CompleteStep,
  analyzeSteps,
  type AnalyzeStep,
  exportSteps,
  type ExportStep,
  deleteSteps,
  type DeleteStep,
} from '../schemas/vocabulary';

/**
 * Background jobs of a creator: regenerating one post, completing a campaign (its outcome report),
 * analyzing the profile, exporting or deleting the account. A job is written `queued` by the
 * API, moved to `running` by the worker and ends `succeeded` or `failed`; an ended job never
 * changes again, so a repeated worker invocation (Lambda's async retries) does nothing.
 */

const nextStatuses: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'failed'],
  // running → running: a retried invocation after a crash picks the job up again.
  running: ['running', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return nextStatuses[from].includes(to);
}

/** The statuses a job may be in when it moves to `to` (the condition of the conditional update). */
export function statusesBefore(to: JobStatus): JobStatus[] {
  return jobStatuses.filter((from) => canTransition(from, to));
}

export const isFinished = (status: JobStatus) => nextStatuses[status].length === 0;

/**
 * A running job carries the deadline of the worker running it (`leaseExpiresAt`: when its Lambda
 * times out). A worker killed by its timeout cannot end its job, so a job still `running` past
 * its lease is shown, and treated by a retried worker, as `failed` with TIMEOUT (a deletion's
 * retried worker takes it over instead: shared/workflow/job-run.ts).
 */
export function withLease<J extends { status: JobStatus; leaseExpiresAt?: string; error?: { code: string; message: string } }>(
  job: J,
  now: string,
): J {
  if (job.status !== 'running' || !job.leaseExpiresAt || job.leaseExpiresAt >= now) return job;
  return {
    ...job,
    status: 'failed',
    error: { code: 'TIMEOUT', message: 'The worker ran out of time before finishing; start the job again' },
  };
}

export function progressOf(step: RegenerateStep): { step: RegenerateStep; percent: number };
export function progressOf(step: ExportStep, steps: typeof exportSteps): { step: ExportStep; percent: number };
export function progressOf(step: DeleteStep, steps: typeof deleteSteps): { step: DeleteStep; percent: number };
export function progressOf(step: AnalyzeStep, steps: typeof analyzeSteps): { step: AnalyzeStep; percent: number };
export function progressOf(step: CompleteStep, steps: typeof completeSteps): { step: CompleteStep; percent: number };
export function progressOf(step: string, steps: readonly string[] = regenerateSteps) {
  return { step, percent: Math.round((steps.indexOf(step) / (steps.length - 1)) * 100) };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID: 10 characters of milliseconds then 16 random ones; ids sort by creation time. */
export function newJobId(now = Date.now(), random: Uint8Array = randomBytes(16)): string {
  let time = '';
  let ms = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  return time + Array.from(random.subarray(0, 16), (byte) => CROCKFORD[byte % 32]).join('');
}
