import { completeOnboarding } from '../../shared/app/edit-campaign';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(campaignRoutes, 'CompleteCampaignOnboarding', async ({ userId, params }) =>
  completeOnboarding(TABLE_NAME, userId, params.id),
);
