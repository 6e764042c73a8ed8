import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { putJob, transitionJob } from '../db/job-store';
import { DomainError } from '../errors';
import { logger } from '../logger';
import type { Job } from '../schemas/jobs';

const lambda = new LambdaClient({});

/**
 * Writes the job `queued` and invokes its worker asynchronously (InvocationType Event; locally the
 * stack's Lambda endpoint does the same). A failed invocation ends the job `failed` and answers 503.
 */
export async function startJob(table: string, workerFunction: string, userId: string, job: Job): Promise<Job> {
  await putJob(table, userId, job);
  try {
    await lambda.send(new InvokeCommand({ FunctionName: workerFunction, InvocationType: 'Event', Payload: JSON.stringify({ userId, jobId: job.jobId }) }));
  } catch (error) {
    logger.error('could not invoke the job worker', { error, kind: job.kind });
    const failure = { code: 'WORKFLOW_START_FAILED', message: 'The job could not be started' };
    await transitionJob(table, userId, job.jobId, 'failed', { error: failure }, job.createdAt);
    throw new DomainError('WORKFLOW_START_FAILED', `The ${job.kind} job could not be started; try again`);
  }
  return job;
}
