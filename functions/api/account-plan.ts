import { changePlan } from '../../shared/app/account';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(accountRoutes, 'UpdateAccountPlan', ({ userId, claims, body }) =>
  changePlan(TABLE_NAME, claims, userId, body, new Date().toISOString()),
);
