import type { Context } from 'aws-lambda';
import { getStoredJob, moveJobLease, transitionJob } from '../db/job-store';
import { isFinished, withLease } from '../domain/jobs';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import type { Job } from '../schemas/jobs';

type Progress = Job['progress'];

/** A job worker's lease: when this invocation's Lambda times out (none outside Lambda). */
export function workerLease(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, now = Date.now()): string | undefined {
  return context ? new Date(now + context.getRemainingTimeInMillis()).toISOString() : undefined;
}

/** What `work` returns when it stopped without ending the job (it handed the job to another worker), which stays running. */
export const YIELDED = Symbol('yielded');

/**
 * The worker side of every job kind (regenerate, analyze, complete, export, delete): picks it up (`queued`/`running` → `running` at `first`), runs `work`,
 * and ends it `succeeded` at `done` with what `work` returns, or `failed` with the error's code
 * (`failureCode` for an unexpected one). `leaseExpiresAt` (the worker's own deadline) is recorded
 * on the running job, so a worker killed by its timeout leaves a job readers see failed with
 * TIMEOUT rather than running forever. Never throws for the job's own failures, so Lambda's
 * asynchronous retries do not pay for the work twice; a repeated event finds the job ended.
 * `takeOver` (a deletion): a job still `running` is picked up only when its worker handed it off
 * or its lease passed (a worker killed by its timeout, then Lambda's retry), by moving the lease
 * conditioned on the one read, so of two takers one runs; while a live worker holds it, nothing.
 */
export async function runJob(
  table: string,
  input: { userId: string; jobId: string },
  progress: { first: Progress; done: Progress },
  failureCode: string,
  work: (job: Job) => Promise<Pick<Job, 'cost' | 'result'> | typeof YIELDED>,
  clock: () => string,
  leaseExpiresAt?: string,
  takeOver = false,
) {
  const { userId, jobId } = input;
  const stored = await getStoredJob(table, userId, jobId);
  const job = withLease(stored, clock());
  if (takeOver && stored.status === 'running') {
    const held = job.status === 'running' && stored.leaseExpiresAt !== undefined && !stored.handedOffAt;
    if (held || !(await moveJobLease(table, userId, jobId, stored.leaseExpiresAt, { leaseExpiresAt }, clock())))
      return { jobId, status: 'running' as const };
    logger.info('job taken over', { jobId, kind: job.kind, from: stored.handedOffAt ? 'handoff' : 'expired lease' });
  } else {
    if (isFinished(job.status)) return { jobId, status: job.status };
    if (
      !(await transitionJob(
        table,
        userId,
        jobId,
        'running',
        { progress: progress.first, ...(leaseExpiresAt && { leaseExpiresAt }) },
        clock(),
      ))
    ) {
      return { jobId, status: job.status };
    }
  }
  try {
    const result = await work(job);
    if (result === YIELDED) return { jobId, status: 'running' as const };
    await transitionJob(table, userId, jobId, 'succeeded', { progress: progress.done, ...result }, clock());
    return { jobId, status: 'succeeded' as const };
  } catch (error) {
    const failure =
      error instanceof DomainError
        ? { code: error.code, message: error.message }
        : { code: failureCode, message: error instanceof Error ? error.message : String(error) };
    logger.error('job failed', { jobId, kind: job.kind, error });
    await transitionJob(table, userId, jobId, 'failed', { error: failure }, clock());
    return { jobId, status: 'failed' as const };
  }
}
