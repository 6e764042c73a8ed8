import { readConfig } from '../../shared/core/config';
import { listCampaigns } from '../../shared/db/campaign-store';
import { campaignView } from '../../shared/domain/campaign';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(campaignRoutes, 'ListCampaigns', async ({ userId, query }) => {
  const { campaigns, nextCursor } = await listCampaigns(TABLE_NAME, userId, query);
  return new Reply(campaigns.map(campaignView), { nextCursor });
});
