import { connectionViews } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';

export const handler = httpRoute('ListConnections', ({ userId }) => connectionViews(userId));
