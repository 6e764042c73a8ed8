import { startCampaign } from '../../shared/app/start-campaign';
import { readConfig } from '../../shared/core/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { campaignRoutes } from '../../shared/http/routes/campaigns';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'WORKFLOW_TIMEOUT_SECONDS']);

export const handler = idempotentRoute(campaignRoutes, 'StartCampaign', config.TABLE_NAME, ({ userId, params }) =>
  startCampaign(config, userId, params.id, new Date().toISOString()),
);
