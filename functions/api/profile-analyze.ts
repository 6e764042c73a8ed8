import { readConfig } from '../../shared/core/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { profileRoutes } from '../../shared/http/routes/profile';
import { requestAnalysis } from '../../shared/app/request-analysis';

const { TABLE_NAME, REGENERATE_FUNCTION_NAME: workerFunction } = readConfig(['TABLE_NAME', 'REGENERATE_FUNCTION_NAME']);

export const handler = idempotentRoute(profileRoutes, 'AnalyzeProfile', TABLE_NAME, ({ userId }) =>
  requestAnalysis({ table: TABLE_NAME, workerFunction, userId, now: new Date().toISOString() }),
);
