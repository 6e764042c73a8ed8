import { readConfig } from '../../shared/core/config';
import { sendTestDelivery } from '../../shared/events/subscriptions';
import { httpRoute } from '../../shared/http/middleware';
import { webhookRoutes } from '../../shared/http/routes/webhooks';

const config = readConfig(['TABLE_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(webhookRoutes, 'TestWebhook', ({ userId, params }) =>
  sendTestDelivery(config, userId, params.id, new Date().toISOString()),
);
