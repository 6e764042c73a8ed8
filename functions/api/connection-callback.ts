import { completeConnection } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';
import { connectionRoutes } from '../../shared/http/routes/connections';

export const handler = httpRoute(connectionRoutes, 'CompleteConnection', ({ params, query }) => completeConnection(params.platform, query));
