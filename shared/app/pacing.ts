import { DomainError } from '../core/errors';
import { getCampaignRecord, listCampaigns, type CampaignRecord } from '../db/campaign-store';
import { campaignExecutions } from '../db/execution-store';
import { followerHistory } from '../db/follower-store';
import { recordPacingStatus } from '../db/pacing-store';
import { allowedActions } from '../domain/campaign-status';
import { campaignPacing, type PacingGoal } from '../domain/pacing';
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

interface PlatformPlan {
  platform: Platform;
}

async function pacingOf(table: string, campaign: CampaignRecord, now: Date): Promise<Pacing> {
  const timeZone = (campaign.profileSnapshot as { timeZone?: string } | undefined)?.timeZone;
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
      platforms: (platforms as PlatformPlan[]).map((plan) => plan.platform),
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
  const campaign: CampaignRecord = { ...(await getCampaignRecord(config.TABLE_NAME, userId, campaignId)), userId };
  if (campaign.status !== 'in_progress') return undefined;
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
