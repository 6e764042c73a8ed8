import { readCampaignReplan } from '../../shared/app/replan';
import { readConfig } from '../../shared/core/config';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { replanRoutes } from '../../shared/http/routes/replans';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(replanRoutes, 'GetReplan', async ({ userId, params, query }) => {
  const { replan, nextCursor } = await readCampaignReplan(TABLE_NAME, userId, params.id, params.n, query, new Date().toISOString());
  return new Reply(replan, { nextCursor });
});
