import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionDoesNotExist, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Config } from '../core/config';
import { withoutSealedKey } from '../db/ai-key-store';
import { withoutSealedTokens } from '../db/connection-store';
import { revokeAllConnections } from './connections';
import { creatorItemPages, deleteCreatorItems, deleteKeptItems, generatingExecutions } from '../db/account-data-store';
import { mapLimited } from '../db/concurrency';
import { getJob, moveJobLease, setJobProgress } from '../db/job-store';
import { keys, mediaPrefix } from '../db/keys';
import { progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { deleteSteps, exportSteps } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { deletePrefix, listPrefix } from '../media/objects';
import { s3 } from '../media/s3';
import { runJob, YIELDED } from '../workflow/job-run';
import { sendJobEvent } from '../workflow/job-start';

/**
 * The account data worker (GDPR): exports everything of a creator into one ZIP, or deletes it all.
 * The routes are ./account-jobs.ts; both jobs are idempotent, and a deletion resumes where an
 * interrupted one stopped because every pass re-reads what is left. A deletion never runs into its
 * worker's deadline: near it, between batches, it hands the job to a new invocation of the worker
 * (nobody may ask again after Clerk's `user.deleted`).
 */
type WorkerConfig = Pick<Config, 'TABLE_NAME' | 'MEDIA_BUCKET_NAME'>;
export interface AccountJobOptions {
  clock?: () => string;
  /** Runs after each deleted batch (≤ 25 items or ≤ 1000 object versions), after the job's progress is saved. */
  afterBatch?: () => void | Promise<void>;
  /** The worker's deadline, recorded on the running job (see runJob). */
  leaseExpiresAt?: string;
  /** The running invocation: a deletion with too little time left hands itself to a new invocation of `functionName`. */
  invocation?: { functionName: string; remainingMs: () => number };
}

/** Time a deletion keeps in hand before its deadline: 60 s, or twice its slowest batch, or (short budgets, locally 30 s) a quarter of its budget. */
const HANDOFF_MARGIN_MS = 60_000;
/** The lease of a handed-off job until its successor takes it over (an asynchronous invocation usually starts within seconds). */
const HANDOFF_LEASE_MS = 5 * 60_000;

/** Thrown between batches when the deletion should hand off: unwinds the page loops. */
class HandOff extends Error {}

const sfn = new SFNClient({});
const OBJECT_READS = 8;

/** `{ userId, jobId }` from the route: runs the export or the deletion the job names. */
export async function runAccountJob(config: WorkerConfig, input: { userId: string; jobId: string }, options: AccountJobOptions = {}) {
  const clock = options.clock ?? (() => new Date().toISOString());
  const { leaseExpiresAt } = options;
  const job = await getJob(config.TABLE_NAME, input.userId, input.jobId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'JOB_NOT_FOUND') return undefined;
    throw error;
  });
  // A finished deletion removed its own job: a repeated event has nothing left to do.
  if (!job) return { jobId: input.jobId, status: 'gone' as const };
  if (job.kind === 'export') {
    const progress = { first: progressOf('collecting', exportSteps), done: progressOf('done', exportSteps) };
    return runJob(
      config.TABLE_NAME,
      input,
      progress,
      'EXPORT_FAILED',
      () => exportAccount(config, input.userId, job, clock),
      clock,
      leaseExpiresAt,
    );
  }
  if (job.kind === 'delete') {
    const progress = { first: progressOf('stopping', deleteSteps), done: progressOf('done', deleteSteps) };
    const { invocation } = options;
    let handedOff = false;
    const work = async () => {
      try {
        return await deleteAccount(config, input.userId, job, clock, options.afterBatch, invocation?.remainingMs);
      } catch (error) {
        if (!(error instanceof HandOff)) throw error;
        const now = clock();
        const handoffLease = new Date(Date.parse(now) + HANDOFF_LEASE_MS).toISOString();
        handedOff = await moveJobLease(
          config.TABLE_NAME,
          input.userId,
          input.jobId,
          leaseExpiresAt,
          { leaseExpiresAt: handoffLease, handedOffAt: now },
          now,
        );
        return YIELDED;
      }
    };
    const outcome = await runJob(config.TABLE_NAME, input, progress, 'DELETION_FAILED', work, clock, leaseExpiresAt, true);
    if (outcome.status === 'succeeded') await deleteKeptItems(config.TABLE_NAME, keptByDeletion(input.userId, job.jobId));
    // Outside runJob: a failed invocation throws, and Lambda's retry of this event takes the handed-off job over instead.
    if (handedOff && invocation) {
      await sendJobEvent(invocation.functionName, input.userId, input.jobId);
      logger.info('deletion handed off', { jobId: input.jobId });
    }
    return outcome;
  }
  throw new Error(`Job ${job.jobId} is a ${job.kind} job, not an account job`);
}

/**
 * items.json (every item of the creator's partition as stored, keys included, except the sealed
 * own Gemini key: its item keeps last4 and dates only), objects/<key> (every
 * current object under users/<uid>/) and manifest.json (the objects exported, and those `vanished`:
 * listed, then deleted before they were read), zipped in memory (images stored, JSON
 * deflated) and written to exports/<uid>/<jobId>.zip. Memory bounds the size: the worker has 1 GB.
 */
async function exportAccount(config: WorkerConfig, userId: string, job: Job, clock: () => string): Promise<Pick<Job, 'result'>> {
  const items: Record<string, unknown>[] = [];
  for await (const page of creatorItemPages(config.TABLE_NAME, userId))
    items.push(...page.map((item) => withoutSealedTokens(withoutSealedKey(item))));
  const listed = await listPrefix(s3, config.MEDIA_BUCKET_NAME, mediaPrefix.creator(userId));
  const files: Zippable = {};
  const vanishedKeys = new Set<string>();
  await mapLimited(listed, OBJECT_READS, async (key) => {
    try {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: config.MEDIA_BUCKET_NAME, Key: key }));
      files[`objects/${key}`] = [await Body!.transformToByteArray(), { level: 0 }];
    } catch (error) {
      // Deleted between the listing and the read (a campaign deleted during the export): not the export's failure.
      if (!(error instanceof NoSuchKey)) throw error;
      vanishedKeys.add(key);
    }
  });
  const objectKeys = listed.filter((key) => !vanishedKeys.has(key));
  const vanished = listed.filter((key) => vanishedKeys.has(key));
  if (vanished.length > 0) logger.info('objects vanished during the export', { jobId: job.jobId, vanished: vanished.length });
  await setJobProgress(config.TABLE_NAME, userId, job.jobId, progressOf('zipping', exportSteps), clock());
  const manifest = { userId, jobId: job.jobId, exportedAt: clock(), items: items.length, objects: objectKeys, vanished };
  files['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
  files['items.json'] = strToU8(JSON.stringify(items, null, 2));
  const zip = zipSync(files);
  const objectKey = mediaPrefix.export(userId, job.jobId);
  await s3.send(new PutObjectCommand({ Bucket: config.MEDIA_BUCKET_NAME, Key: objectKey, Body: zip, ContentType: 'application/zip' }));
  return { result: { objectKey, bytes: zip.byteLength, items: items.length, objects: objectKeys.length, vanished: vanished.length } };
}

/** What a deletion keeps to the end: its lock, then the job the creator follows (removed last). */
const keptByDeletion = (userId: string, jobId: string) => [keys.activeJob(userId, 'delete'), keys.job(userId, jobId)];

/**
 * Stops the creator's running executions (so no task writes again), deletes every version and
 * delete marker under their prefixes, every item of theirs but the job and its lock, then the
 * prefixes once more (an export that finished meanwhile). The job and its lock go after it succeeded.
 */
async function deleteAccount(
  config: WorkerConfig,
  userId: string,
  job: Job,
  clock: () => string,
  afterBatch?: () => void | Promise<void>,
  remainingMs?: () => number,
): Promise<Pick<Job, 'result'>> {
  const table = config.TABLE_NAME;
  const margin = remainingMs && Math.min(HANDOFF_MARGIN_MS, remainingMs() / 4);
  let slowestBatchMs = 0;
  let batchStarted = Date.now();
  const executions = await generatingExecutions(table, userId);
  for (const executionArn of executions) {
    try {
      await sfn.send(new StopExecutionCommand({ executionArn, cause: 'The creator deleted their account' }));
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }
  // Before the tokens go with the items: each connection revoked at its platform.
  const connections = await revokeAllConnections(userId);
  const step = (name: 'objects' | 'items') => async () => {
    await setJobProgress(table, userId, job.jobId, progressOf(name, deleteSteps), clock());
    await afterBatch?.();
    slowestBatchMs = Math.max(slowestBatchMs, Date.now() - batchStarted);
    batchStarted = Date.now();
    if (remainingMs && remainingMs() < Math.max(margin!, 2 * slowestBatchMs)) throw new HandOff();
  };
  const deleteObjects = async () => {
    let deleted = 0;
    for (const prefix of [mediaPrefix.creator(userId), mediaPrefix.uploads(userId), mediaPrefix.exports(userId)]) {
      deleted += await deletePrefix(s3, config.MEDIA_BUCKET_NAME, prefix, { allVersions: true, afterPage: step('objects') });
    }
    return deleted;
  };
  const objectVersions = await deleteObjects();
  const items = await deleteCreatorItems(table, userId, keptByDeletion(userId, job.jobId), step('items'));
  const late = await deleteObjects();
  logger.info('account deleted', { executionsStopped: executions.length, objectVersions: objectVersions + late, items, connections });
  return { result: { items, objectVersions: objectVersions + late, executionsStopped: executions.length } };
}
