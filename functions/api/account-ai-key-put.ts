import { readConfig } from '../../shared/core/config';
import { storeAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(accountRoutes, 'PutAccountAiKey', ({ userId, body }) =>
  storeAiKey(TABLE_NAME, userId, body.apiKey, new Date().toISOString()),
);
