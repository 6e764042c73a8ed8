import { contextAgent, type ContextAnalysis, type ContextInput } from '../agents/context';
import { runAgent } from '../ai';
import { getProfile, saveAgentContext } from '../db/profile-store';
import { progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { analyzeSteps } from '../schemas/vocabulary';
import { llmUsage } from '../domain/usage';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { runJob } from './job-run';
import { meterToken, meterUsage } from '../db/metering-store';

/**
 * The context analysis of a creator's profile, kept on the profile (`agentContext`): written by the
 * analyze job (POST /profile/analyze) and by a campaign's Context task, reused by the next
 * campaign while it is newer than the profile's last update.
 */

interface ProfileLike {
  updatedAt?: unknown;
  agentContext?: { status?: string; updatedAt?: string; analysis?: unknown };
  [field: string]: unknown;
}

/** What the analyzer reads of a profile: the creator's answers, without bookkeeping or the earlier analysis. */
export function contextInputOf(profile: ProfileLike): ContextInput {
  const {
    userId: _user,
    updatedAt: _updated,
    createdAt: _created,
    version: _version,
    agentContext: _context,
    PK: _pk,
    SK: _sk,
    ...answers
  } = profile;
  return answers as unknown as ContextInput;
}

/** The stored analysis when it is newer than the profile's last update, else undefined. */
export function freshAnalysis(profile: ProfileLike): ContextAnalysis | undefined {
  const context = profile.agentContext;
  if (context?.status !== 'ready' || !context.analysis || !context.updatedAt || typeof profile.updatedAt !== 'string') return undefined;
  return context.updatedAt > profile.updatedAt ? (context.analysis as ContextAnalysis) : undefined;
}

/** Keeps an analysis on the profile it was made from; a profile updated since is left alone. */
export async function keepAnalysis(
  table: string,
  userId: string,
  profile: ProfileLike,
  analysis: ContextAnalysis,
  model: string,
  now: string,
  jobId?: string,
) {
  if (typeof profile.updatedAt !== 'string') return false;
  const kept = await saveAgentContext(
    table,
    userId,
    { status: 'ready', updatedAt: now, analysis, model, ...(jobId && { jobId }) },
    profile.updatedAt,
  );
  if (!kept) logger.info('profile changed since it was analyzed; its analysis is not kept', { userId });
  return kept;
}

/** The analyze job's worker side: runs the context analyzer on the current profile and keeps the result on it. */
export function runProfileAnalysis(
  table: string,
  input: { userId: string; jobId: string },
  clock: () => string = () => new Date().toISOString(),
  leaseExpiresAt?: string,
) {
  const progress = { first: progressOf('analyzing', analyzeSteps), done: progressOf('done', analyzeSteps) };
  return runJob(table, input, progress, 'ANALYSIS_FAILED', (job) => analyze(table, input.userId, job, clock), clock, leaseExpiresAt);
}

async function analyze(table: string, userId: string, job: Job, clock: () => string): Promise<Pick<Job, 'cost' | 'result'>> {
  const profile = (await getProfile(table, userId)) as unknown as ProfileLike & { version: number; agentContext?: { jobId?: string } };
  // A retried invocation whose analysis was kept already pays for nothing again.
  if (profile.agentContext?.jobId === job.jobId) return { result: { version: profile.version } };
  const result = await runAgent(contextAgent, contextInputOf(profile), { seed: userId, userId });
  if (!(await keepAnalysis(table, userId, profile, result.output, result.model, clock(), job.jobId))) {
    throw new DomainError('PRECONDITION_FAILED', 'The profile changed while it was being analyzed; analyze it again');
  }
  const cost = llmUsage(result);
  await meterUsage(table, userId, cost, meterToken('analyze', job.jobId), { jobId: job.jobId }, new Date(clock()));
  return { cost, result: { version: profile.version } };
}
