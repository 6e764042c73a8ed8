import { startConnection } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';

export const handler = httpRoute('StartConnection', ({ userId, params, body }) => startConnection(userId, params.platform, body));
