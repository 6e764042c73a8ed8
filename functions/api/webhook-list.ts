import { readConfig } from '../../shared/core/config';
import { listWebhooks } from '../../shared/db/webhook-store';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('ListWebhooks', ({ userId }) => listWebhooks(TABLE_NAME, userId));
