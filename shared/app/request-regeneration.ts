import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { notFound as campaignNotFound } from '../db/campaign-store';
import { dynamo } from '../db/client';
import { getContent, type ContentPath } from '../db/content-store';
import { keys } from '../db/keys';
import type { WorkflowCampaign } from '../db/workflow-store';
import { allowedActions } from '../domain/campaign-status';
import { newJobId, progressOf } from '../domain/jobs';
import { DomainError } from '../core/errors';
import { admitRegeneration } from './quotas';
import type { Job } from '../schemas/jobs';
import { startJob } from '../workflow/job-start';

/*
 * The API side of a regeneration, kept apart from the worker (./regenerate.ts) so the API
 * function's bundle carries no agents, LLM SDK or image renderer.
 */

/** Only a generated campaign's posts are regenerated; while generating the workflow owns them. */
export const REGENERATE_FROM = ['in_progress'] as const;

interface CampaignHeader {
  status: WorkflowCampaign['status'];
  attempt?: number;
}

export async function readCampaign(table: string, userId: string, campaignId: string): Promise<WorkflowCampaign> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.campaign(userId, campaignId), ConsistentRead: true }));
  if (!Item) throw campaignNotFound(campaignId);
  return Item as unknown as WorkflowCampaign;
}

export function expectRegenerable(campaign: CampaignHeader, campaignId: string) {
  if (!(REGENERATE_FROM as readonly string[]).includes(campaign.status)) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot regenerate a post of a campaign that is ${campaign.status}`, {
      currentStatus: campaign.status,
      allowedActions: allowedActions(campaign.status),
      campaignId,
    });
  }
}

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
