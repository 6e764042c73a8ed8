import { setPublishMode } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';
import { connectionRoutes } from '../../shared/http/routes/connections';

export const handler = httpRoute(connectionRoutes, 'SetPublishMode', ({ userId, params, body }) =>
  setPublishMode(userId, params.id, params.platform, body.mode),
);
