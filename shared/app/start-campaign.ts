import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Config } from '../core/config';
import { readyBrandAssets } from './brand-assets';
import { applyTransition, getCampaignRecord, type CampaignRecord } from '../db/campaign-store';
import { creatorMemories } from '../db/memory-store';
import { rankMemories } from '../domain/memories';
import { getProfile } from '../db/profile-store';
import { creatorPostingSlots } from '../db/report-store';
import { postingTimeInsights, preferredPostingTimes } from '../domain/posting-times';
import { campaignView } from '../domain/campaign';
import { canApply, leaseUntil } from '../domain/campaign-status';
import type { CampaignEstimate } from '../domain/estimate';
import { admitCampaignStart, countCampaignStart } from './quotas';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import type { Campaign } from '../schemas/campaign';

/** One client per process; the endpoint comes from the SDK's configuration (AWS_ENDPOINT_URL_SFN locally). */
const sfn = new SFNClient({});

type LaunchConfig = Pick<Config, 'TABLE_NAME' | 'STATE_MACHINE_ARN' | 'WORKFLOW_TIMEOUT_SECONDS'>;
type Execution = NonNullable<Campaign['execution']>;

/** Learning memories frozen into a campaign at start. */
/** Reads of the campaign before giving up when concurrent edits keep changing its version. */
const MAX_READS = 3;

/** Unique per attempt, so a double start of one attempt cannot run twice. A UUID id keeps it within the 80-character limit. */
export const executionName = (campaignId: string, attempt: number) => `${campaignId}-a${attempt}`;

/** `arn:…:stateMachine:<sm>` → `arn:…:execution:<sm>:<name>`, known before the execution exists. */
export function executionArn(stateMachineArn: string, name: string): string {
  const [prefix, machine] = stateMachineArn.split(':stateMachine:');
  if (machine === undefined) throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  return `${prefix}:execution:${machine}:${name}`;
}

/**
 * Reads the campaign, then moves it to `generating` with one conditional transition on the version
 * it read: the new attempt, its execution and whatever `prepare` derived from that read. A
 * concurrent edit (412) is retried on a fresh read; a concurrent start or retry is a 409.
 */
async function transitionToGenerating(
  config: LaunchConfig,
  userId: string,
  campaignId: string,
  action: 'start' | 'retry',
  now: string,
  prepare: (campaign: CampaignRecord) => Promise<Record<string, unknown>>,
) {
  for (let read = 1; ; read++) {
    const current = await getCampaignRecord(config.TABLE_NAME, userId, campaignId);
    const attempt = current.attempt + 1;
    const name = executionName(campaignId, attempt);
    const execution: Execution = {
      name,
      arn: executionArn(config.STATE_MACHINE_ARN, name),
      attempt,
      startedAt: now,
      leaseUntil: leaseUntil(now, config.WORKFLOW_TIMEOUT_SECONDS),
    };
    try {
      const campaign = await applyTransition(config.TABLE_NAME, userId, campaignId, action, {
        expectedVersion: current.version,
        set: { ...(await prepare(current)), attempt, execution, progress: { step: 'queued' } },
        // A new attempt starts clean: the previous attempt's failure is history.
        remove: ['failure'],
        now,
      });
      return { campaign, execution };
    } catch (error) {
      const versionMoved = error instanceof DomainError && error.code === 'PRECONDITION_FAILED';
      if (!versionMoved || read === MAX_READS) throw error;
    }
  }
}

/**
 * Starts the execution recorded by the transition. ExecutionAlreadyExists can only mean this very
 * attempt's execution (names are unique per attempt), created by an earlier call of ours that the
 * SDK retried. Any other failure marks the campaign failed, on the version the transition wrote,
 * so the creator can retry; the request answers 503.
 */
async function startExecution(config: LaunchConfig, userId: string, campaign: CampaignRecord, execution: Execution, now: string) {
  const { campaignId } = campaign;
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: config.STATE_MACHINE_ARN,
        name: execution.name,
        input: JSON.stringify({ userId, campaignId, attempt: execution.attempt }),
      }),
    );
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) return;
    logger.error('workflow start failed', { error, campaignId, execution: execution.name });
    const failure = {
      step: 'start',
      code: 'WORKFLOW_START_FAILED',
      message: `Step Functions did not start the workflow (${(error as Error).name})`,
      at: now,
    };
    try {
      await applyTransition(config.TABLE_NAME, userId, campaignId, 'fail', { expectedVersion: campaign.version, set: { failure }, now });
    } catch (compensationError) {
      logger.error('could not mark the campaign failed', { error: compensationError, campaignId });
    }
    throw new DomainError(
      'WORKFLOW_START_FAILED',
      `The campaign workflow could not be started; try again with POST /campaigns/${campaignId}/retry`,
    );
  }
}

async function launch(
  config: LaunchConfig,
  userId: string,
  campaignId: string,
  action: 'start' | 'retry',
  now: string,
  prepare: (campaign: CampaignRecord) => Promise<Record<string, unknown>>,
) {
  const { campaign, execution } = await transitionToGenerating(config, userId, campaignId, action, now, prepare);
  await startExecution(config, userId, campaign, execution, now);
  return { campaign: campaignView(campaign), execution };
}

/**
 * POST /campaigns/{id}/start: checks the plan's quotas with the campaign's cost dry-run (402
 * before anything starts), freezes the creator's profile, the learning insights for the
 * campaign's goal, the posting times learned from their own posts and the estimate into the
 * campaign, then starts attempt 1 of the workflow.
 */
export async function startCampaign(config: LaunchConfig, userId: string, campaignId: string, now: string) {
  let estimate: CampaignEstimate | undefined;
  let started;
  try {
    started = await launch(config, userId, campaignId, 'start', now, async (campaign) => {
      // A campaign that cannot start is the transition's 409, not a quota question.
      if (canApply('start', campaign.status)) estimate ??= await admitCampaignStart(config.TABLE_NAME, userId, campaign, new Date(now));
      const [profileSnapshot, memories, observed, brandAssetNotes] = await Promise.all([
        getProfile(config.TABLE_NAME, userId),
        creatorMemories(config.TABLE_NAME, userId),
        creatorPostingSlots(config.TABLE_NAME, userId),
        // Checked again: an asset may have been deleted since it was set.
        readyBrandAssets(config.TABLE_NAME, userId, campaign.brandAssets ?? []),
      ]);
      // The planner posts at the creator's own best hours where they have enough confirmed posts.
      const postingTimes = preferredPostingTimes(postingTimeInsights(observed.slots));
      // Only a campaign that is not ready to start lacks a goal; the transition refuses it.
      const { applied: insights, choices: memoryChoices } = rankMemories(memories, {
        goalType: campaign.goal?.type ?? 'engagement',
        platforms: (campaign.platforms ?? []).map((plan) => plan.platform),
        niche: String((profileSnapshot as { niche?: string } | undefined)?.niche ?? ''),
        now,
      });
      return {
        profileSnapshot,
        insights,
        memoryChoices,
        ...(Object.keys(postingTimes).length > 0 && { postingTimes }),
        ...(estimate && { estimate }),
        ...(brandAssetNotes.length > 0 && { brandAssetNotes }),
      };
    });
  } catch (error) {
    // A workflow that failed to start leaves the campaign failed, to be retried: it was started.
    if (error instanceof DomainError && error.code === 'WORKFLOW_START_FAILED')
      await countCampaignStart(config.TABLE_NAME, userId, new Date(now));
    throw error;
  }
  await countCampaignStart(config.TABLE_NAME, userId, new Date(now));
  return { ...started, ...(estimate && { estimate }) };
}

/** POST /campaigns/{id}/retry: a failed campaign's next attempt, on the snapshot frozen at start. */
export function retryCampaign(config: LaunchConfig, userId: string, campaignId: string, now: string) {
  return launch(config, userId, campaignId, 'retry', now, async () => ({}));
}
