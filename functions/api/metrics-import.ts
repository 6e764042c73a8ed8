import { readConfig } from '../../shared/core/config';
import { importCampaignMetrics } from '../../shared/app/import-metrics';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ImportMetrics', async ({ userId, params, body }) =>
  importCampaignMetrics(TABLE_NAME, userId, params.id, body.csv, new Date().toISOString()),
);
