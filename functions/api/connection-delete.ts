import { disconnect } from '../../shared/app/connections';
import { httpRoute } from '../../shared/http/middleware';

export const handler = httpRoute('DeleteConnection', async ({ userId, params }) => {
  await disconnect(userId, params.platform);
  return undefined;
});
