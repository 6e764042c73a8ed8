import { readRunningCampaign } from '../db/execution-store';
import { allowedActions, canApply } from '../domain/campaign-status';
import { type CampaignStatus, completeSteps } from '../schemas/vocabulary';
import { newJobId, progressOf } from '../domain/jobs';
import type { Job } from '../schemas/jobs';
import { DomainError } from '../core/errors';
import { startJob } from '../workflow/job-start';

/**
 * POST /campaigns/{id}/complete, the API side: checks that the campaign may complete, writes the
 * job and invokes the report worker (./report.ts). The reporter is an LLM call with the chain's
 * worst case well above API Gateway's 30 s, so it never runs inside the request.
 */
export async function requestCompletion(
  table: string,
  workerFunction: string,
  userId: string,
  campaignId: string,
  now: string,
): Promise<Job> {
  const campaign = await readRunningCampaign(table, userId, campaignId);
  const status = campaign.status as CampaignStatus;
  if (!canApply('complete', status)) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot complete a campaign that is ${status}`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  const job: Job = {
    jobId: newJobId(Date.parse(now)),
    kind: 'complete',
    status: 'queued',
    target: { campaignId },
    progress: progressOf('queued', completeSteps),
    createdAt: now,
    updatedAt: now,
  };
  return startJob(table, workerFunction, userId, job);
}
