import { randomBytes } from 'node:crypto';

/**
 * Background jobs of a creator: regenerating one post, completing a campaign (its outcome report),
 * analyzing the profile, exporting or deleting the account. A job is written `queued` by the
 * API, moved to `running` by the worker and ends `succeeded` or `failed`; an ended job never
 * changes again, so a repeated worker invocation (Lambda's async retries) does nothing.
 */
export const jobStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

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
export function withLease<J extends { status: JobStatus; leaseExpiresAt?: string; error?: { code: string; message: string } }>(job: J, now: string): J {
  if (job.status !== 'running' || !job.leaseExpiresAt || job.leaseExpiresAt >= now) return job;
  return { ...job, status: 'failed', error: { code: 'TIMEOUT', message: 'The worker ran out of time before finishing; start the job again' } };
}

/** The steps of a regeneration, in order; progress.percent follows them. */
export const regenerateSteps = ['queued', 'writing', 'critique', 'thumbnail', 'done'] as const;
export type RegenerateStep = (typeof regenerateSteps)[number];

/** The steps of completing a campaign: the numbers from the confirmed posts, then the reporter. */
export const completeSteps = ['queued', 'measuring', 'reporting', 'done'] as const;
export type CompleteStep = (typeof completeSteps)[number];

/** The steps of analyzing the creator's profile (the context analyzer, POST /profile/analyze). */
export const analyzeSteps = ['queued', 'analyzing', 'done'] as const;
export type AnalyzeStep = (typeof analyzeSteps)[number];

/** The steps of an account export (GET /account/export): every item and object read, then the ZIP written. */
export const exportSteps = ['queued', 'collecting', 'zipping', 'done'] as const;
export type ExportStep = (typeof exportSteps)[number];

/** The steps of an account deletion (DELETE /account): executions stopped, objects, then items. */
export const deleteSteps = ['queued', 'stopping', 'objects', 'items', 'done'] as const;
export type DeleteStep = (typeof deleteSteps)[number];

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

export const JOB_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
