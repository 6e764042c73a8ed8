import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Config } from '../core/config';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { getCampaignRecord, type CampaignRecord } from '../db/campaign-store';
import { scheduledContent } from '../db/execution-store';
import { beginReplan, finishReplan, getReplan, listReplans, replanChangesPage, replanningOf } from '../db/replan-store';
import { allowedActions, canApply, leaseUntil, withCampaignLease } from '../domain/campaign-status';
import { campaignTimeZone } from '../domain/campaign';
import { isReplannable } from '../domain/replan';
import { admitReplan, replanEstimateForCreator } from './quotas';
import { executionArn } from './start-campaign';

/**
 * Re-plan (issue 18): the campaign's open posts (not posted, skipped, due, approved or edited)
 * re-planned from what has performed, by the campaign's own state machine in re-plan mode
 * (infra/workflow.ts: ReplanPlanner, then the Weeks Map over the changed weeks, then Finalize).
 * The campaign stays in_progress throughout; one re-plan runs at a time, under a lease as long
 * as the workflow's worst case, so a crashed one does not block the next.
 */

/** One client per process; the endpoint comes from the SDK's configuration (AWS_ENDPOINT_URL_SFN locally). */
const sfn = new SFNClient({});

type ReplanConfig = Pick<Config, 'TABLE_NAME' | 'STATE_MACHINE_ARN' | 'WORKFLOW_TIMEOUT_SECONDS'>;

/** One execution per re-plan: a repeated start of re-plan n cannot run it twice. */
export const replanExecutionName = (campaignId: string, n: number) => `${campaignId}-r${n}`;

/** 409 unless the campaign is in_progress (its first generation finished) with no re-plan running. */
function expectReplannable(campaign: CampaignRecord, now: string) {
  const { status } = withCampaignLease(campaign, now);
  if (!canApply('replan', status)) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot re-plan a campaign that is ${status}; its generation must have finished`, {
      currentStatus: status,
      allowedActions: allowedActions(status),
    });
  }
  const running = replanningOf(campaign);
  if (running && running.leaseUntil >= now)
    throw new DomainError('REPLAN_RUNNING', `Re-plan ${running.n} of this campaign is still running`, { n: running.n });
}

async function openAndLocked(table: string, campaign: CampaignRecord, now: string) {
  const content = await scheduledContent(table, campaign.userId, campaign.campaignId, 1, Number(campaign.durationDays ?? 90));
  const open = content.filter((item) => isReplannable(item, now, campaignTimeZone(campaign)));
  return { open, locked: content.length - open.length };
}

/** POST /campaigns/{id}/replan/estimate: the price of rewriting every open post, and how many stay as they are. */
export async function estimateCampaignReplan(table: string, userId: string, campaignId: string, now: string) {
  const campaign = await getCampaignRecord(table, userId, campaignId);
  expectReplannable(campaign, now);
  const { open, locked } = await openAndLocked(table, campaign, now);
  const estimate = await replanEstimateForCreator(table, userId, campaign, open);
  return { ...estimate, openPosts: open.length, lockedPosts: locked };
}

/**
 * POST /campaigns/{id}/replan: checks the state (409), the month's LLM budget and images (402),
 * records re-plan n as running (one conditional write on the campaign version read) and starts its
 * execution. An execution that cannot start fails the re-plan at once (503, the campaign free for
 * the next one).
 */
export async function startCampaignReplan(
  config: ReplanConfig,
  userId: string,
  campaignId: string,
  reason: string | undefined,
  now: string,
) {
  const table = config.TABLE_NAME;
  const campaign = await getCampaignRecord(table, userId, campaignId);
  expectReplannable(campaign, now);
  const { open } = await openAndLocked(table, campaign, now);
  await admitReplan(table, userId, campaign, open, new Date(now));
  const { n } = await beginReplan(table, campaign, {
    ...(reason && { reason }),
    leaseUntil: leaseUntil(now, config.WORKFLOW_TIMEOUT_SECONDS),
    now,
  });
  const name = replanExecutionName(campaignId, n);
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: config.STATE_MACHINE_ARN,
        name,
        input: JSON.stringify({ userId, campaignId, attempt: campaign.attempt, replan: n }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists)) {
      logger.error('re-plan start failed', { error, campaignId, n });
      const failure = { code: 'WORKFLOW_START_FAILED', message: `Step Functions did not start the re-plan (${(error as Error).name})` };
      await finishReplan(table, { userId, campaignId }, n, { status: 'failed', failure, now });
      throw new DomainError('WORKFLOW_START_FAILED', 'The re-plan could not be started; try again');
    }
  }
  logger.info('re-plan started', { campaignId, n, execution: executionArn(config.STATE_MACHINE_ARN, name), openPosts: open.length });
  return { n, status: 'running' as const, poll: `/campaigns/${campaignId}/replans/${n}` };
}

/** GET /campaigns/{id}/replans/{n}: the re-plan and one page of its changes. */
export async function readCampaignReplan(
  table: string,
  userId: string,
  campaignId: string,
  n: number,
  page: { limit: number; cursor?: string },
  now: string,
) {
  await getCampaignRecord(table, userId, campaignId);
  const [replan, changes] = await Promise.all([
    getReplan(table, userId, campaignId, n, now),
    replanChangesPage(table, { userId, campaignId }, n, page),
  ]);
  return { replan: { ...replan, changes: changes.changes }, nextCursor: changes.nextCursor };
}

/** GET /campaigns/{id}/replans: every re-plan of the campaign, newest first, without their changes. */
export async function listCampaignReplans(table: string, userId: string, campaignId: string, now: string) {
  await getCampaignRecord(table, userId, campaignId);
  return listReplans(table, userId, campaignId, now);
}
