import { reporterAgent } from '../agents/reporter';
import { applyTransition } from '../db/campaign-store';
import { campaignExecutions, readRunningCampaign, scheduledContent } from '../db/execution-store';
import { followerHistory } from '../db/follower-store';
import { transitionJob } from '../db/job-store';
import { addDays } from '../domain/schedule';
import { saveCompletionReport } from '../db/report-store';
import { readCampaign, type AttemptRef, type WorkflowCampaign } from '../db/workflow-store';
import { emitCreatorEvent, type EmitterConfig } from '../events/emit';
import { progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { completeSteps } from '../schemas/vocabulary';
import { draftLessons } from '../domain/lessons';
import { campaignOutcome } from '../domain/outcome';
import { logger } from '../core/logger';
import { goalSchema } from '../schemas/campaign-fields';
import type { GoalResult, PredictionCheck } from '../schemas/report';
import { runStoredAgent } from './agent-output';
import { runJob } from './job-run';

/**
 * Completing a campaign, as a job (the worker side; the route is ./completion-request.ts). The
 * numbers come from code (shared/domain/outcome.ts); the reporter agent words them once (stored
 * and metered like every agent output, so a retried job pays nothing twice); the outcome report,
 * the observed posting slots and the lessons draft are written; then the campaign moves
 * `in_progress → completed`. A job retried after that transition finds the campaign completed and
 * only finishes the job. `campaign.completed` (notification, webhooks, bus) follows the transition.
 */

/** The reporter's stored output: `~` keeps it out of GET /campaigns/{id}, which shows the outcome and the lessons instead. */
const REPORTER_OUTPUT = '~report';

/**
 * `campaign.completed`, once per campaign (its dedupe key), at the moment of the transition. The
 * campaign is completed whatever happens to the notice, so a failure to emit is logged, not thrown.
 */
async function announceCompleted(
  config: EmitterConfig,
  campaign: Pick<WorkflowCampaign, 'campaignId' | 'name' | 'userId'>,
  completedAt: string,
  goal?: GoalResult,
) {
  const event = {
    type: 'campaign.completed' as const,
    userId: campaign.userId,
    campaignId: campaign.campaignId,
    occurredAt: completedAt,
    data: {
      campaignName: campaign.name,
      ...(goal && { goal: { metric: goal.metric, achieved: goal.achieved, progressPercent: goal.progressPercent, met: goal.met } }),
    },
    dedupeKey: `campaign.completed#${campaign.campaignId}`,
  };
  await emitCreatorEvent(config, event).catch((error: unknown) => logger.error('could not announce the completion', { error }));
}

export function runCompletion(
  config: EmitterConfig,
  input: { userId: string; jobId: string },
  clock: () => string = () => new Date().toISOString(),
  leaseExpiresAt?: string,
) {
  const progress = { first: progressOf('measuring', completeSteps), done: progressOf('done', completeSteps) };
  return runJob(
    config.TABLE_NAME,
    input,
    progress,
    'COMPLETION_FAILED',
    async (job) => ({ result: { version: await complete(config, input.userId, job, clock) } }),
    clock,
    leaseExpiresAt,
  );
}

const withoutPosts = ({ posts: _posts, ...check }: PredictionCheck) => check;

/** Returns the campaign's version after completion. */
async function complete(config: EmitterConfig, userId: string, job: Job, clock: () => string): Promise<number> {
  const table = config.TABLE_NAME;
  if (job.kind !== 'complete') throw new Error(`Job ${job.jobId} is a ${job.kind} job, not a completion`);
  const { campaignId } = job.target;
  const campaign = await readCampaign(table, userId, campaignId);
  if (campaign.status === 'completed') {
    // A retried job after the transition: the notice may not have gone out (it is sent once anyway).
    await announceCompleted(config, campaign, String(campaign.completedAt ?? campaign.updatedAt));
    return campaign.version;
  }
  const running = await readRunningCampaign(table, userId, campaignId);
  const [posts, executions, followerCounts] = await Promise.all([
    scheduledContent(table, userId, campaignId, 1, running.durationDays),
    campaignExecutions(table, userId, campaignId),
    followerHistory(table, userId),
  ]);
  const goal = goalSchema.parse(campaign.goal);
  const period = { from: running.startDate, to: addDays(running.startDate, running.durationDays - 1) };
  const numbers = campaignOutcome({
    campaignId,
    now: clock(),
    goal,
    timeZone: running.timeZone,
    posts,
    executions,
    period,
    followerCounts,
    ...(campaign.experiments?.hookStyles && { hookStyles: campaign.experiments.hookStyles }),
  });

  await transitionJob(table, userId, job.jobId, 'running', { progress: progressOf('reporting', completeSteps) }, clock());
  const ref: AttemptRef = { userId, campaignId, attempt: Number(campaign.attempt ?? 1) };
  const niche = (campaign.profileSnapshot as { niche?: string } | undefined)?.niche ?? 'general';
  const { postingSlots, ...reported } = numbers;
  const now = clock();
  const report = await runStoredAgent(
    table,
    campaign,
    ref,
    {
      name: REPORTER_OUTPUT,
      spec: reporterAgent,
      input: {
        niche,
        durationDays: running.durationDays,
        numbers: {
          ...reported,
          findings: reported.findings.map(({ postIds: _ids, ...finding }) => finding),
          prediction: reported.prediction && withoutPosts(reported.prediction),
        },
      },
      seed: campaignId,
    },
    now,
  );
  const { summary, ...lessons } = report.output;
  await saveCompletionReport(
    table,
    userId,
    campaignId,
    {
      outcome: { campaignId, ...numbers, summary, model: report.model, generatedAt: now },
      lessons: draftLessons(campaignId, { summary, ...lessons }, report.model, now, numbers.findings),
      slots: postingSlots,
      timeZone: running.timeZone,
    },
    now,
  );
  const completed = await applyTransition(table, userId, campaignId, 'complete', { set: { completedAt: now }, now });
  await announceCompleted(config, completed, now, numbers.goal);
  return completed.version;
}
