import { getProfile } from '../db/profile-store';
import { newJobId, progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { analyzeSteps } from '../schemas/vocabulary';
import { admitAnalysis } from './quotas';
import { startJob } from '../workflow/job-start';

/**
 * POST /profile/analyze, the API side (the worker is ./profile-context.ts, in the agent job
 * worker): the queued job names the profile version it will analyze, and the worker is invoked
 * asynchronously. Kept apart from the worker so the route's bundle carries no agent or LLM SDK.
 */
export async function requestAnalysis(request: { table: string; workerFunction: string; userId: string; now: string }): Promise<Job> {
  const { table, userId, now } = request;
  const profile = await getProfile(table, userId);
  await admitAnalysis(table, userId, new Date(now));
  const job: Job = {
    jobId: newJobId(Date.parse(now)),
    kind: 'analyze',
    status: 'queued',
    target: { profileVersion: profile.version },
    progress: progressOf('queued', analyzeSteps),
    createdAt: now,
    updatedAt: now,
  };
  return startJob(table, request.workerFunction, userId, job);
}
