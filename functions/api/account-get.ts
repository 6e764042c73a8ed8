import { getAccount } from '../../shared/app/account';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(accountRoutes, 'GetAccount', ({ userId }) => getAccount(TABLE_NAME, userId, new Date()));
