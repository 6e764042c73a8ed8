import { requestExport } from '../../shared/app/request-account-job';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME, ACCOUNT_DATA_FUNCTION_NAME } = readConfig(['TABLE_NAME', 'ACCOUNT_DATA_FUNCTION_NAME']);

export const handler = httpRoute(accountRoutes, 'ExportAccount', ({ userId }) =>
  requestExport({ table: TABLE_NAME, workerFunction: ACCOUNT_DATA_FUNCTION_NAME }, userId, new Date().toISOString()),
);
