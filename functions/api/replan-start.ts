import { startCampaignReplan } from '../../shared/app/replan';
import { readConfig } from '../../shared/core/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { replanRoutes } from '../../shared/http/routes/replans';

const config = readConfig(['TABLE_NAME', 'STATE_MACHINE_ARN', 'WORKFLOW_TIMEOUT_SECONDS']);

export const handler = idempotentRoute(replanRoutes, 'StartReplan', config.TABLE_NAME, ({ userId, params, body }) =>
  startCampaignReplan(config, userId, params.id, body?.reason, new Date().toISOString()),
);
