import { confirmDay } from '../../shared/app/confirm-day';
import { evaluatePacingAfterNumbers } from '../../shared/app/pacing';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ConfirmDay', async ({ userId, params, body }) => {
  const now = new Date();
  const execution = await confirmDay(config.TABLE_NAME, userId, params.id, body, now);
  await evaluatePacingAfterNumbers(config, userId, [params.id], now);
  return execution;
});
