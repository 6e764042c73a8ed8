import { readConfig } from '../../shared/core/config';
import { markRead } from '../../shared/db/notification-store';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('ReadNotification', ({ userId, params }) =>
  markRead(TABLE_NAME, userId, params.id, new Date().toISOString()),
);
