import { readConfig } from '../../shared/core/config';
import { markRead } from '../../shared/db/notification-store';
import { httpRoute } from '../../shared/http/middleware';
import { notificationRoutes } from '../../shared/http/routes/notifications';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(notificationRoutes, 'ReadNotification', ({ userId, params }) =>
  markRead(TABLE_NAME, userId, params.id, new Date().toISOString()),
);
