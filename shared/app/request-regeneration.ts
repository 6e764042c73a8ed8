import { getContent, type ContentPath } from '../db/content-store';
import { readCampaign } from '../db/workflow-store';
import { expectRegenerable } from '../domain/campaign-status';
import { newJobId, progressOf } from '../domain/jobs';
import { admitRegeneration } from './quotas';
import type { Job } from '../schemas/jobs';
import { startJob } from '../workflow/job-start';

/*
 * The API side of a regeneration, kept apart from the worker (./regenerate.ts) so the API
 * function's bundle carries no agents, LLM SDK or image renderer.
 */

export interface RegenerateRequest {
  table: string;
  /** Name or ARN of the worker function. */
  workerFunction: string;
  userId: string;
  path: ContentPath;
  instructions?: string;
  now: string;
}

/** The API side: checks (state, post, quotas), the queued job, the asynchronous invocation of the worker. */
export async function requestRegeneration(request: RegenerateRequest): Promise<Job> {
  const { table, userId, path, now } = request;
  expectRegenerable(await readCampaign(table, userId, path.id), path.id);
  await getContent(table, userId, path);
  const admitted = await admitRegeneration(table, userId, new Date(now));
  const job: Job = {
    jobId: newJobId(Date.parse(now)),
    kind: 'regenerate',
    status: 'queued',
    target: { campaignId: path.id, day: path.day, platform: path.platform },
    ...(request.instructions && { instructions: request.instructions }),
    progress: progressOf('queued'),
    createdAt: now,
    updatedAt: now,
  };
  try {
    return await startJob(table, request.workerFunction, userId, job);
  } catch (error) {
    await admitted.release();
    throw error;
  }
}
