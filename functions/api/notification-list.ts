import { readConfig } from '../../shared/core/config';
import { listNotifications } from '../../shared/db/notification-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { notificationRoutes } from '../../shared/http/routes/notifications';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(notificationRoutes, 'ListNotifications', async ({ userId, query }) => {
  const { notifications, nextCursor } = await listNotifications(TABLE_NAME, userId, query);
  return new Reply(notifications, { nextCursor });
});
