import { reporterAgent } from '../agents/reporter';
import { applyTransition } from '../db/campaign-store';
import { campaignExecutions, readRunningCampaign, scheduledContent } from '../db/execution-store';
import { getJob, transitionJob } from '../db/job-store';
import { saveCompletionReport } from '../db/report-store';
import type { AttemptRef } from '../db/workflow-store';
import { completeSteps, isFinished, progressOf } from '../domain/jobs';
import { draftLessons } from '../domain/lessons';
import { campaignOutcome } from '../domain/outcome';
import { DomainError } from '../errors';
import { logger } from '../logger';
import { goalSchema } from '../schemas/campaign';
import type { Job } from '../schemas/jobs';
import { runStoredAgent } from './agent-output';
import { readCampaign } from './regeneration-request';

/**
 * Completing a campaign, as a job (the worker side; the route is ./completion-request.ts). The
 * numbers come from code (shared/domain/outcome.ts); the reporter agent words them once (stored
 * and metered like every agent output, so a retried job pays nothing twice); the outcome report,
 * the observed posting slots and the lessons draft are written; then the campaign moves
 * `in_progress → completed`. A job retried after that transition finds the campaign completed and
 * only finishes the job.
 */

/** The reporter's stored output: `~` keeps it out of GET /campaigns/{id}, which shows the outcome and the lessons instead. */
const REPORTER_OUTPUT = '~report';

export async function runCompletion(table: string, input: { userId: string; jobId: string }, clock: () => string = () => new Date().toISOString()) {
  const { userId, jobId } = input;
  const job = await getJob(table, userId, jobId);
  if (isFinished(job.status)) return { jobId, status: job.status };
  if (!(await transitionJob(table, userId, jobId, 'running', { progress: progressOf('measuring', completeSteps) }, clock()))) return { jobId, status: job.status };
  try {
    const version = await complete(table, userId, job, clock);
    await transitionJob(table, userId, jobId, 'succeeded', { progress: progressOf('done', completeSteps), result: { version } }, clock());
    return { jobId, status: 'succeeded' as const };
  } catch (error) {
    const failure =
      error instanceof DomainError ? { code: error.code, message: error.message } : { code: 'COMPLETION_FAILED', message: error instanceof Error ? error.message : String(error) };
    logger.error('completion failed', { jobId, error });
    await transitionJob(table, userId, jobId, 'failed', { error: failure }, clock());
    return { jobId, status: 'failed' as const };
  }
}

/** Returns the campaign's version after completion. */
async function complete(table: string, userId: string, job: Job, clock: () => string): Promise<number> {
  const { campaignId } = job.target;
  const campaign = await readCampaign(table, userId, campaignId);
  if (campaign.status === 'completed') return campaign.version;
  const running = await readRunningCampaign(table, userId, campaignId);
  const [posts, executions] = await Promise.all([scheduledContent(table, userId, campaignId, 1, running.durationDays), campaignExecutions(table, userId, campaignId)]);
  const goal = goalSchema.parse(campaign.goal);
  const numbers = campaignOutcome({ goal, timeZone: running.timeZone, posts, executions });

  await transitionJob(table, userId, job.jobId, 'running', { progress: progressOf('reporting', completeSteps) }, clock());
  const ref: AttemptRef = { userId, campaignId, attempt: Number(campaign.attempt ?? 1) };
  const niche = (campaign.profileSnapshot as { niche?: string } | undefined)?.niche ?? 'general';
  const { postingSlots, ...reported } = numbers;
  const now = clock();
  const report = await runStoredAgent(
    table,
    campaign,
    ref,
    { name: REPORTER_OUTPUT, spec: reporterAgent, input: { niche, durationDays: running.durationDays, numbers: reported }, seed: campaignId },
    now,
  );
  const { summary, ...lessons } = report.output;
  await saveCompletionReport(
    table,
    userId,
    campaignId,
    {
      outcome: { campaignId, ...numbers, summary, model: report.model, generatedAt: now },
      lessons: draftLessons(campaignId, { summary, ...lessons }, report.model, now),
      slots: postingSlots,
      timeZone: running.timeZone,
    },
    now,
  );
  const completed = await applyTransition(table, userId, campaignId, 'complete', { set: { completedAt: now }, now });
  return completed.version;
}
