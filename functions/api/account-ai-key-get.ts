import { readConfig } from '../../shared/core/config';
import { getAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(accountRoutes, 'GetAccountAiKey', ({ userId }) => getAiKey(TABLE_NAME, userId));
