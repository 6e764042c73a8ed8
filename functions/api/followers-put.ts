import { readConfig } from '../../shared/core/config';
import { recordOwnFollowerCount } from '../../shared/app/follower-counts';
import { httpRoute } from '../../shared/http/middleware';
import { profileRoutes } from '../../shared/http/routes/profile';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(profileRoutes, 'RecordFollowerCount', async ({ userId, body }) =>
  recordOwnFollowerCount(TABLE_NAME, userId, body, new Date().toISOString()),
);
