import { logger } from '../core/logger';
import { mapLimited } from '../db/concurrency';
import type { EmitterConfig } from '../events/emit';
import type { Platform } from '../schemas/common';
import { adaptHookStyles } from './hook-experiment';
import { evaluatePacing, followersGoalCampaigns } from './pacing';

/** Campaigns handled at once after a platform import; each is a handful of sequential requests. */
const CAMPAIGN_CONCURRENCY = 8;

export interface NewNumbers {
  /** Campaigns whose posts received numbers. */
  campaigns?: readonly { userId: string; campaignId: string }[];
  /** Follower counts recorded: they move the pacing of the creator's running followers campaigns on that platform. */
  followerCounts?: readonly { userId: string; platform: Platform }[];
}

/**
 * What new numbers set off, in every use case that records them (confirm-day, the CSV import, the
 * hourly platform import, a follower count): a campaign whose posts received numbers adapts its
 * hook style experiment (shared/app/hook-experiment.ts), then every campaign the numbers concern
 * has its goal pacing evaluated (shared/app/pacing.ts), once each. Best effort: the numbers are
 * recorded whatever happens here, so a failure is logged and never thrown; the next numbers, or
 * the day's evaluation, try again.
 */
export async function afterNewNumbers(config: EmitterConfig, numbers: NewNumbers, now: Date): Promise<void> {
  const at = now.toISOString();
  const measured = new Map((numbers.campaigns ?? []).map((campaign) => [`${campaign.userId}#${campaign.campaignId}`, campaign]));
  const paced = new Map(measured);
  const followerGoals = await mapLimited(numbers.followerCounts ?? [], CAMPAIGN_CONCURRENCY, ({ userId, platform }) =>
    followersGoalCampaigns(config.TABLE_NAME, userId, platform).then(
      (campaignIds) => campaignIds.map((campaignId) => ({ userId, campaignId })),
      (error: unknown) => {
        logger.error('pacing not evaluated', { platform, error: (error as Error).message });
        return [];
      },
    ),
  );
  for (const campaign of followerGoals.flat()) paced.set(`${campaign.userId}#${campaign.campaignId}`, campaign);
  await mapLimited([...paced], CAMPAIGN_CONCURRENCY, async ([key, { userId, campaignId }]) => {
    if (measured.has(key)) await adaptHookStyles(config.TABLE_NAME, userId, campaignId, at);
    await evaluatePacing(config, userId, campaignId, now).catch((error: unknown) =>
      logger.error('pacing not evaluated', { campaignId, error: (error as Error).message }),
    );
  });
}
