import { readConfig } from '../../shared/core/config';
import { getCampaignWithOutputs } from '../../shared/db/campaign-store';
import { campaignView } from '../../shared/domain/campaign';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';
import { etag } from '../../shared/http/preconditions';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(campaignRoutes, 'GetCampaign', async ({ userId, params }) => {
  const { campaign, outputs } = await getCampaignWithOutputs(TABLE_NAME, MEDIA_BUCKET_NAME, userId, params.id);
  const snapshot = campaign.profileSnapshot as { timeZone?: string } | undefined;
  return new Reply({ ...campaignView(campaign), timeZone: snapshot?.timeZone, outputs }, { headers: etag(campaign.version) });
});
