import { confirmDay } from '../../shared/app/confirm-day';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ConfirmDay', async ({ userId, params, body }) => {
  return confirmDay(config, userId, params.id, body, new Date());
});
