import { readConfig } from '../../shared/core/config';
import { removeAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(accountRoutes, 'DeleteAccountAiKey', async ({ userId }) => {
  await removeAiKey(TABLE_NAME, userId);
  return undefined;
});
