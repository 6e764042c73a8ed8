import { randomUUID } from 'node:crypto';
import { readConfig } from '../../shared/core/config';
import { createCampaign } from '../../shared/db/campaign-store';
import { campaignView } from '../../shared/domain/campaign';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';
import { etag } from '../../shared/http/preconditions';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(campaignRoutes, 'CreateCampaign', async ({ userId, body }) => {
  const campaign = await createCampaign(TABLE_NAME, userId, randomUUID(), body.name, new Date().toISOString());
  return new Reply(campaignView(campaign), { headers: etag(campaign.version) });
});
