import { readConfig } from '../../shared/core/config';
import { deleteApiKey } from '../../shared/db/api-key-store';
import { httpRoute } from '../../shared/http/middleware';
import { apiKeyRoutes } from '../../shared/http/routes/api-keys';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(apiKeyRoutes, 'DeleteApiKey', async ({ userId, params }) => {
  await deleteApiKey(TABLE_NAME, userId, params.id);
  return undefined;
});
