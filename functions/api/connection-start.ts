import { startConnection } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';
import { connectionRoutes } from '../../shared/http/routes/connections';

export const handler = httpRoute(connectionRoutes, 'StartConnection', ({ userId, params, body }) =>
  startConnection(userId, params.platform, body),
);
