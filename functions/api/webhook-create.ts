import { readConfig } from '../../shared/core/config';
import { subscribe } from '../../shared/events/subscriptions';
import { httpRoute } from '../../shared/http/middleware';
import { webhookRoutes } from '../../shared/http/routes/webhooks';

const config = readConfig(['TABLE_NAME', 'WEBHOOK_ALLOW_PRIVATE_URLS']);

export const handler = httpRoute(webhookRoutes, 'CreateWebhook', ({ userId, body }) =>
  subscribe(config, userId, body, new Date().toISOString()),
);
