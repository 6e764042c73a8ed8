import { importCampaignMetrics } from '../../shared/app/import-metrics';
import { evaluatePacingAfterNumbers } from '../../shared/app/pacing';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ImportMetrics', async ({ userId, params, body }) => {
  const now = new Date();
  const report = await importCampaignMetrics(config.TABLE_NAME, userId, params.id, body.csv, now.toISOString());
  if (report.applied > 0) await evaluatePacingAfterNumbers(config, userId, [params.id], now);
  return report;
});
