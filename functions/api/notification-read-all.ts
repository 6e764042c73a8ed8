import { readConfig } from '../../shared/core/config';
import { markAllRead } from '../../shared/db/notification-store';
import { httpRoute } from '../../shared/http/middleware';
import { notificationRoutes } from '../../shared/http/routes/notifications';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(notificationRoutes, 'ReadAllNotifications', ({ userId }) =>
  markAllRead(TABLE_NAME, userId, new Date().toISOString()),
);
