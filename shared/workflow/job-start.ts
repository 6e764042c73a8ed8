import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { activeJobId, claimActiveJob, getJob, putJob, transitionJob } from '../db/job-store';
import { isFinished } from '../domain/jobs';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import type { Job } from '../schemas/jobs';

const lambda = new LambdaClient({});

/** Invokes a job's worker asynchronously (InvocationType Event) with the job's `{ userId, jobId }`. */
export async function sendJobEvent(workerFunction: string, userId: string, jobId: string): Promise<void> {
  await lambda.send(
    new InvokeCommand({ FunctionName: workerFunction, InvocationType: 'Event', Payload: JSON.stringify({ userId, jobId }) }),
  );
}

/** Invokes the job's worker asynchronously; a failed invocation ends the job `failed` and answers 503. */
async function invokeWorker(table: string, workerFunction: string, userId: string, job: Job): Promise<Job> {
  try {
    await sendJobEvent(workerFunction, userId, job.jobId);
  } catch (error) {
    logger.error('could not invoke the job worker', { error, kind: job.kind });
    const failure = { code: 'WORKFLOW_START_FAILED', message: 'The job could not be started' };
    await transitionJob(table, userId, job.jobId, 'failed', { error: failure }, new Date().toISOString());
    throw new DomainError('WORKFLOW_START_FAILED', `The ${job.kind} job could not be started; try again`);
  }
  return job;
}

/**
 * Writes the job `queued` and invokes its worker asynchronously (InvocationType Event; locally the
 * stack's Lambda endpoint does the same). A failed invocation ends the job `failed` and answers 503.
 */
export async function startJob(table: string, workerFunction: string, userId: string, job: Job): Promise<Job> {
  await putJob(table, userId, job);
  return invokeWorker(table, workerFunction, userId, job);
}

/** Lock moves lost to concurrent requests before giving up with 409 IN_PROGRESS. */
const MAX_CLAIMS = 3;

/**
 * At most one running job of a kind per creator (export, account deletion): a request while one
 * runs answers that job; otherwise `job` is written and the creator's `ACTIVEJOB#<kind>` lock moved
 * to it in one transaction, so two requests at once start one job. A job its worker has not
 * touched for `staleAfterMs` (longer than the worker may run: its invocation was lost) is invoked
 * again. A running job past its worker's lease reads as failed (TIMEOUT), so the request starts a
 * new job, which resumes the work: both kinds re-read what is left.
 */
export async function startSingleJob(
  table: string,
  workerFunction: string,
  userId: string,
  job: Job & { kind: 'export' | 'delete' },
  staleAfterMs: number,
): Promise<Job> {
  for (let claim = 1; claim <= MAX_CLAIMS; claim++) {
    const previousId = await activeJobId(table, userId, job.kind);
    const previous = previousId ? await getJob(table, userId, previousId).catch(() => undefined) : undefined;
    if (previous && !isFinished(previous.status)) {
      const stale = Date.parse(job.createdAt) - Date.parse(previous.updatedAt) > staleAfterMs;
      return stale ? invokeWorker(table, workerFunction, userId, previous) : previous;
    }
    if (await claimActiveJob(table, userId, job, previousId)) return invokeWorker(table, workerFunction, userId, job);
  }
  throw new DomainError('IN_PROGRESS', `Another ${job.kind} request is starting; try again`);
}
