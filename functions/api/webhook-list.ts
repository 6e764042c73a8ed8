import { readConfig } from '../../shared/core/config';
import { listWebhooks } from '../../shared/db/webhook-store';
import { httpRoute } from '../../shared/http/middleware';
import { webhookRoutes } from '../../shared/http/routes/webhooks';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(webhookRoutes, 'ListWebhooks', ({ userId }) => listWebhooks(TABLE_NAME, userId));
