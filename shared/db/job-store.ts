import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { statusesBefore, withLease } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import type { JobStatus } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { setExpression, withoutKeys } from './expressions';
import { keys } from './keys';
import { queryUserPage } from './user-page';

/** Job items: `PK USER#<uid>, SK JOB#<jobId>` (see keys.ts). */
export const jobNotFound = (jobId: string) => new DomainError('JOB_NOT_FOUND', `No job ${jobId}`);

export async function putJob(table: string, userId: string, job: Job): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: table, Item: { ...keys.job(userId, job.jobId), ...job }, ConditionExpression: 'attribute_not_exists(PK)' }),
  );
}

/** One job as stored: a running job keeps that status whatever its lease. */
export async function getStoredJob(table: string, userId: string, jobId: string): Promise<Job> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.job(userId, jobId), ConsistentRead: true }));
  if (!Item) throw jobNotFound(jobId);
  return withoutKeys(Item) as unknown as Job;
}

/** One job; a running job past its lease reads as failed with TIMEOUT (domain/jobs.ts withLease). */
export async function getJob(table: string, userId: string, jobId: string, now = new Date().toISOString()): Promise<Job> {
  return withLease(await getStoredJob(table, userId, jobId), now);
}

/** The caller's jobs, newest first (job ids are ULIDs). */
export async function listJobs(table: string, userId: string, options: { limit: number; cursor?: string }, now = new Date().toISOString()) {
  const page = await queryUserPage(table, userId, keys.jobSkPrefix, options);
  return { jobs: page.items.map((item) => withLease(withoutKeys(item) as unknown as Job, now)), nextCursor: page.nextCursor };
}

/**
 * Moves a job to `status` (only from a status that may precede it) and sets `fields`. Returns
 * false when the job is gone or its status does not allow the move (e.g. it has ended already).
 */
/** What a transition may set on a job of either kind. */
type JobUpdate = { progress?: Job['progress'] } & Partial<Pick<Job, 'cost' | 'result' | 'error' | 'leaseExpiresAt'>>;

export async function transitionJob(
  table: string,
  userId: string,
  jobId: string,
  status: JobStatus,
  fields: JobUpdate,
  now: string,
): Promise<boolean> {
  const set = setExpression({ ...fields, status, updatedAt: now });
  const from = statusesBefore(status);
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.job(userId, jobId),
      UpdateExpression: `SET ${set.clauses.join(', ')}`,
      ConditionExpression: `attribute_exists(PK) AND #jobStatus IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: { ...set.names, '#jobStatus': 'status' },
      ExpressionAttributeValues: { ...set.values, ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])) },
    }),
  );
}

/**
 * Moves the lease of a running job, only while it still carries `heldLease` (the lease its holder
 * recorded or a taker read), so of two workers moving the same lease one wins. `handedOffAt` set:
 * its holder hands it off; absent: a successor takes it over (the mark is removed).
 */
export async function moveJobLease(
  table: string,
  userId: string,
  jobId: string,
  heldLease: string | undefined,
  fields: { progress?: Job['progress']; leaseExpiresAt?: string; handedOffAt?: string },
  now: string,
): Promise<boolean> {
  const set = setExpression({ ...fields, updatedAt: now });
  const removed = (['handedOffAt', 'leaseExpiresAt'] as const).filter((name) => !fields[name]);
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.job(userId, jobId),
      UpdateExpression: `SET ${set.clauses.join(', ')}${removed.length ? ` REMOVE ${removed.map((name) => `#${name}`).join(', ')}` : ''}`,
      ConditionExpression: `#jobStatus = :running AND ${heldLease ? '#leaseExpiresAt = :held' : 'attribute_not_exists(#leaseExpiresAt)'}`,
      ExpressionAttributeNames: {
        ...set.names,
        '#jobStatus': 'status',
        '#leaseExpiresAt': 'leaseExpiresAt',
        ...(removed.includes('handedOffAt') && { '#handedOffAt': 'handedOffAt' }),
      },
      ExpressionAttributeValues: { ...set.values, ':running': 'running', ...(heldLease && { ':held': heldLease }) },
    }),
  );
}

/** Progress of a running job; a no-op once the job has ended. */
export async function setJobProgress(table: string, userId: string, jobId: string, progress: Job['progress'], now: string): Promise<void> {
  await transitionJob(table, userId, jobId, 'running', { progress }, now);
}

type SingletonKind = 'export' | 'delete';

/** The job id held by the creator's `ACTIVEJOB#<kind>` lock, if any. */
export async function activeJobId(table: string, userId: string, kind: SingletonKind): Promise<string | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.activeJob(userId, kind), ConsistentRead: true }));
  return Item?.jobId as string | undefined;
}

/**
 * Writes `job` and points the creator's `ACTIVEJOB#<kind>` lock at it in one transaction,
 * conditioned on the lock still holding `previousJobId` (absent when there was none). Returns false
 * when another request moved the lock first: its job is the one to answer with.
 */
export async function claimActiveJob(
  table: string,
  userId: string,
  job: Job & { kind: SingletonKind },
  previousJobId: string | undefined,
): Promise<boolean> {
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table,
              Item: { ...keys.activeJob(userId, job.kind), jobId: job.jobId, updatedAt: job.createdAt },
              ConditionExpression: previousJobId ? 'jobId = :previous' : 'attribute_not_exists(PK)',
              ...(previousJobId && { ExpressionAttributeValues: { ':previous': previousJobId } }),
            },
          },
          { Put: { TableName: table, Item: { ...keys.job(userId, job.jobId), ...job }, ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }),
    );
    return true;
  } catch (error) {
    // A concurrent claim shows as the lock's failed condition, or as a conflict of the two transactions.
    const lost = (code?: string) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict';
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((reason) => lost(reason.Code))) return false;
    throw error;
  }
}
