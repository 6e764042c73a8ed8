import { readConfig } from '../../shared/core/config';
import { listApiKeys } from '../../shared/db/api-key-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { apiKeyRoutes } from '../../shared/http/routes/api-keys';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(apiKeyRoutes, 'ListApiKeys', async ({ userId, query }) => {
  const { apiKeys, nextCursor } = await listApiKeys(TABLE_NAME, userId, query);
  return new Reply(apiKeys, { nextCursor });
});
