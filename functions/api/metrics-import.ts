import { importCampaignMetrics } from '../../shared/app/import-metrics';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ImportMetrics', async ({ userId, params, body }) => {
  return importCampaignMetrics(config, userId, params.id, body.csv, new Date().toISOString());
});
