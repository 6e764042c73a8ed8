import { completeConnection } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';

export const handler = httpRoute('CompleteConnection', ({ params, query }) => completeConnection(params.platform, query));
