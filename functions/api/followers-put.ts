import { recordOwnFollowerCount } from '../../shared/app/follower-counts';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { profileRoutes } from '../../shared/http/routes/profile';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute(profileRoutes, 'RecordFollowerCount', async ({ userId, body }) => {
  return recordOwnFollowerCount(config, userId, body, new Date());
});
