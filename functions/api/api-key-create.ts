import { createApiKey } from '../../shared/app/create-api-key';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { apiKeyRoutes } from '../../shared/http/routes/api-keys';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(apiKeyRoutes, 'CreateApiKey', ({ userId, body }) => createApiKey(TABLE_NAME, userId, body, new Date()));
