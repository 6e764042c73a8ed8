import { readConfig } from '../../shared/core/config';
import { campaignStatsItems } from '../../shared/db/campaign-store';
import { campaignStats, type CampaignUsage, type StatsInput } from '../../shared/domain/stats';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'GetCampaignStats', async ({ userId, params }) => {
  const { header, content, executions } = await campaignStatsItems(TABLE_NAME, userId, params.id);
  return campaignStats({
    campaignId: params.id,
    status: String(header.status),
    usage: header.usage as CampaignUsage | undefined,
    estimate: header.estimate as StatsInput['estimate'],
    contentApprovals: content.map((item) => (item.approval as { state?: string } | undefined)?.state),
    executions: executions as StatsInput['executions'],
  });
});
