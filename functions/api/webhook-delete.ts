import { readConfig } from '../../shared/core/config';
import { deleteWebhook } from '../../shared/db/webhook-store';
import { httpRoute } from '../../shared/http/middleware';
import { webhookRoutes } from '../../shared/http/routes/webhooks';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(webhookRoutes, 'DeleteWebhook', async ({ userId, params }) => {
  await deleteWebhook(TABLE_NAME, userId, params.id);
  return undefined;
});
