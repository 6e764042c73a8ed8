import { connectionViews } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';
import { connectionRoutes } from '../../shared/http/routes/connections';

export const handler = httpRoute(connectionRoutes, 'ListConnections', ({ userId }) => connectionViews(userId));
