import { disconnect } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';
import { connectionRoutes } from '../../shared/http/routes/connections';

export const handler = httpRoute(connectionRoutes, 'DeleteConnection', async ({ userId, params }) => {
  await disconnect(userId, params.platform);
  return undefined;
});
