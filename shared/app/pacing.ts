import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { getCampaignRecord, listCampaigns, type CampaignRecord } from '../db/campaign-store';
import { mapLimited } from '../db/concurrency';
import { allShards } from '../db/due-posts';
import { campaignExecutions } from '../db/execution-store';
import { followerHistory } from '../db/follower-store';
import { dropPacingEvaluation, movePacingEvaluation, pacingEvaluationsDue, recordPacingStatus } from '../db/pacing-store';
import { campaignTimeZone } from '../domain/campaign';
import { allowedActions } from '../domain/campaign-status';
import { campaignPacing, nextDailyEvaluation, pacingBasis, type PacingGoal } from '../domain/pacing';
import { localDateTime } from '../domain/schedule';
import { emitCreatorEvent, type EmitterConfig } from '../events/emit';
import type { Platform } from '../schemas/common';
import type { Pacing } from '../schemas/pacing';
import type { PacingStatus } from '../schemas/vocabulary';

/**
 * Goal pacing (shared/domain/pacing.ts) read for GET /campaigns/{id}/pacing, and evaluated
 * wherever new numbers arrive (shared/app/new-numbers.ts): the status is kept on the campaign,
 * and its turn to `behind` tells the creator once per turn (notification and `campaign.behind`
 * webhook event).
 */

const platformsOf = (campaign: CampaignRecord) => ((campaign.platforms ?? []) as { platform: Platform }[]).map((plan) => plan.platform);

async function pacingOf(table: string, campaign: CampaignRecord, now: Date): Promise<Pacing> {
  const timeZone = campaignTimeZone(campaign);
  const { campaignId, goal, startDate, durationDays, platforms } = campaign;
  if (!timeZone || !goal || !startDate || !durationDays || !platforms) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `The campaign has no plan yet (it is ${campaign.status})`, {
      currentStatus: campaign.status,
      allowedActions: allowedActions(campaign.status),
    });
  }
  const [executions, followerCounts] = await Promise.all([
    campaignExecutions(table, campaign.userId, campaignId),
    goal.type === 'followers' ? followerHistory(table, campaign.userId) : Promise.resolve([]),
  ]);
  return {
    campaignId,
    ...campaignPacing({
      goal: goal as PacingGoal,
      startDate,
      durationDays,
      today: localDateTime(now, timeZone).date,
      platforms: platformsOf(campaign),
      executions,
      followerCounts,
    }),
  };
}

/** GET /campaigns/{id}/pacing: computed at read time, nothing written. */
export async function readCampaignPacing(table: string, userId: string, campaignId: string, now = new Date()): Promise<Pacing> {
  return pacingOf(table, { ...(await getCampaignRecord(table, userId, campaignId, false)), userId }, now);
}

/**
 * One running campaign's pacing, its status recorded when it changed. A turn to `behind` emits
 * `campaign.behind` numbered by the campaign's `behindCount` first, then records the status: an
 * evaluation that dies between the two leaves the old status, so the next one emits the same
 * event again (the same id, notified once) and records it.
 */
export async function evaluatePacing(config: EmitterConfig, userId: string, campaignId: string, now = new Date()) {
  return evaluateCampaign(config, { ...(await getCampaignRecord(config.TABLE_NAME, userId, campaignId)), userId }, now);
}

async function evaluateCampaign(config: EmitterConfig, campaign: CampaignRecord, now: Date) {
  if (campaign.status !== 'in_progress') return undefined;
  const { userId, campaignId } = campaign;
  const pacing = await pacingOf(config.TABLE_NAME, campaign, now);
  const from = campaign.pacingStatus as PacingStatus | undefined;
  if (pacing.status === from) return pacing;
  const at = now.toISOString();
  const behindCount = Number(campaign.behindCount ?? 0) + (pacing.status === 'behind' ? 1 : 0);
  if (pacing.status === 'behind') await announceBehind(config, campaign, pacing, behindCount, at);
  await recordPacingStatus(config.TABLE_NAME, userId, campaignId, { from, to: pacing.status, behindCount }, at);
  return pacing;
}

function announceBehind(config: EmitterConfig, campaign: CampaignRecord, pacing: Pacing, behindCount: number, at: string) {
  const today = pacing.days.at(-1)!;
  return emitCreatorEvent(config, {
    type: 'campaign.behind',
    userId: campaign.userId,
    campaignId: campaign.campaignId,
    occurredAt: at,
    data: {
      campaignName: campaign.name,
      metric: pacing.goal.metric,
      target: pacing.goal.target,
      day: today.day,
      actual: today.actual,
      projected: today.projected,
      // The re-plan this turn proposes (shared/app/replan.ts): price it, then start it.
      replan: {
        estimate: `POST /campaigns/${campaign.campaignId}/replan/estimate`,
        start: `POST /campaigns/${campaign.campaignId}/replan`,
      },
    },
    // One per turn to behind: on_track → behind → on_track → behind is two events.
    dedupeKey: `campaign.behind#${campaign.campaignId}#${behindCount}`,
  });
}

/** The creator's running campaigns with a followers goal on this platform: a follower count of it moves their pacing. */
export async function followersGoalCampaigns(table: string, userId: string, platform: Platform): Promise<string[]> {
  const campaignIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCampaigns(table, userId, { limit: 100, status: 'in_progress', cursor });
    for (const campaign of page.campaigns) {
      if (campaign.goal?.type === 'followers' && campaign.platforms?.some((plan) => plan.platform === platform)) {
        campaignIds.push(campaign.campaignId);
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return campaignIds;
}

/** Markers taken per shard and run: 16 × 100 = 1,600 campaigns an hourly run, 38,400 a day; a backlog drains over the next runs. */
const DAILY_PER_SHARD = 100;
const DAILY_CONCURRENCY = 8;

export interface DailyPacingReport {
  /** Running campaigns with a measurable goal whose pacing was evaluated. */
  evaluated: number;
  /** Of those, the ones behind now (told only when they turned so). */
  behind: number;
  /** Markers removed: the campaign completed, is gone, or has a goal Crescendo cannot measure. */
  dropped: number;
  /** Left for the next run (logged). */
  failed: number;
}

/**
 * The day's evaluation of every running campaign with a measurable goal, new numbers or not, so a
 * campaign whose numbers stop arriving still turns `behind` (run by the hourly platform import).
 * Each marker due (shared/db/pacing-store.ts): a campaign in progress is evaluated as anywhere else
 * (once per turn) and its marker moved to its next local DAILY_EVALUATION_TIME; one still
 * generating or failed (a retry may come) is only moved; the others are dropped. A failure leaves
 * the marker for the next run.
 */
export async function evaluateDailyPacing(config: EmitterConfig, now: Date): Promise<DailyPacingReport> {
  const table = config.TABLE_NAME;
  const report: DailyPacingReport = { evaluated: 0, behind: 0, dropped: 0, failed: 0 };
  const due = (await mapLimited(allShards(), 4, (shard) => pacingEvaluationsDue(table, shard, now.toISOString(), DAILY_PER_SHARD))).flat();
  await mapLimited(due, DAILY_CONCURRENCY, async (marker) => {
    try {
      const campaign = await getCampaignRecord(table, marker.userId, marker.campaignId).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'CAMPAIGN_NOT_FOUND') return undefined;
        throw error;
      });
      const measurable = campaign?.goal !== undefined && pacingBasis(campaign.goal as PacingGoal, platformsOf(campaign)) !== undefined;
      if (!campaign || campaign.status === 'completed' || !measurable) {
        await dropPacingEvaluation(table, marker);
        report.dropped++;
        return;
      }
      const pacing = await evaluateCampaign(config, { ...campaign, userId: marker.userId }, now);
      if (pacing) report.evaluated++;
      if (pacing?.status === 'behind') report.behind++;
      const timeZone = campaignTimeZone(campaign) ?? 'UTC';
      const startDate = campaign.startDate ?? now.toISOString().slice(0, 10);
      await movePacingEvaluation(table, marker, nextDailyEvaluation(now, timeZone, startDate));
    } catch (error) {
      report.failed++;
      logger.error('daily pacing not evaluated; the next run tries again', {
        campaignId: marker.campaignId,
        error: (error as Error).message,
      });
    }
  });
  return report;
}
