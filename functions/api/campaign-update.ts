import { editCampaign } from '../../shared/app/edit-campaign';
import { readConfig } from '../../shared/core/config';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';
import { etag, ifMatchVersion } from '../../shared/http/preconditions';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(campaignRoutes, 'UpdateCampaign', async ({ userId, params, body, event }) => {
  const campaign = await editCampaign(TABLE_NAME, userId, params.id, body, ifMatchVersion(event));
  return new Reply(campaign, { headers: etag(campaign.version) });
});
