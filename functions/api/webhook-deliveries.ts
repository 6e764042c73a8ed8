import { readConfig } from '../../shared/core/config';
import { getWebhook, listDeliveries } from '../../shared/db/webhook-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { webhookRoutes } from '../../shared/http/routes/webhooks';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(webhookRoutes, 'ListWebhookDeliveries', async ({ userId, params, query }) => {
  await getWebhook(TABLE_NAME, userId, params.id);
  const { deliveries, nextCursor } = await listDeliveries(TABLE_NAME, userId, params.id, query);
  return new Reply(deliveries, { nextCursor });
});
