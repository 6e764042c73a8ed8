import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { getCampaignRecord, listCampaigns, type CampaignRecord } from '../db/campaign-store';
import { mapLimited } from '../db/concurrency';
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
 * wherever new numbers arrive (confirm-day, the CSV import, the hourly platform import, a
 * follower count): the status is kept on the campaign, and its turn to `behind` tells the creator
 * once per turn (notification and `campaign.behind` webhook event).
 */

/** Creators evaluated at once after an import. */
const IMPORT_CONCURRENCY = 4;

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

/**
 * After new numbers of these campaigns arrived: each evaluated, a failure logged and never thrown,
 * since the numbers are recorded whatever happens to the pacing (the next numbers evaluate again).
 */
export async function evaluatePacingAfterNumbers(config: EmitterConfig, userId: string, campaignIds: Iterable<string>, now = new Date()) {
  for (const campaignId of new Set(campaignIds)) {
    await evaluatePacing(config, userId, campaignId, now).catch((error: unknown) =>
      logger.error('pacing not evaluated', { campaignId, error: (error as Error).message }),
    );
  }
}

/** After a follower count of a platform: the creator's running campaigns with a followers goal on it. */
export async function evaluatePacingAfterFollowerCount(config: EmitterConfig, userId: string, platform: Platform, now = new Date()) {
  const campaignIds: string[] = [];
  try {
    let cursor: string | undefined;
    do {
      const page = await listCampaigns(config.TABLE_NAME, userId, { limit: 100, status: 'in_progress', cursor });
      for (const campaign of page.campaigns) {
        if (campaign.goal?.type === 'followers' && campaign.platforms?.some((plan) => plan.platform === platform)) {
          campaignIds.push(campaign.campaignId);
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    logger.error('pacing not evaluated', { platform, error: (error as Error).message });
    return;
  }
  await evaluatePacingAfterNumbers(config, userId, campaignIds, now);
}

/** After an hourly platform import: the campaigns whose posts reached a checkpoint, and the followers goals of the counts read. */
export async function evaluatePacingAfterImport(
  config: EmitterConfig,
  posts: readonly { userId: string; campaignId: string }[],
  followerReads: readonly { userId: string; platform: string }[],
  now = new Date(),
) {
  const campaignsByUser = new Map<string, string[]>();
  for (const { userId, campaignId } of posts) campaignsByUser.set(userId, [...(campaignsByUser.get(userId) ?? []), campaignId]);
  await mapLimited([...campaignsByUser], IMPORT_CONCURRENCY, ([userId, campaignIds]) =>
    evaluatePacingAfterNumbers(config, userId, campaignIds, now),
  );
  await mapLimited(followerReads, IMPORT_CONCURRENCY, ({ userId, platform }) =>
    evaluatePacingAfterFollowerCount(config, userId, platform as Platform, now),
  );
}
