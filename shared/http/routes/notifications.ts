import { listNotificationsQuerySchema, notificationPathSchema, notificationSchema, readAllResultSchema } from '../../schemas/notifications';
import * as z from '../../schemas/zod';
import type { RouteDef } from './route';

/** In-app notifications: list, mark read. */
export const notificationRoutes = [
  {
    id: 'ListNotifications',
    method: 'GET',
    path: '/notifications',
    entry: 'functions/api/notification-list.ts',
    auth: 'jwt',
    summary: "The caller's notifications, newest first, cursor-paginated; `unread=true` for unread ones only",
    tag: 'notifications',
    request: { query: listNotificationsQuerySchema },
    response: { status: 200, data: z.array(notificationSchema) },
    errors: ['INVALID_CURSOR'],
    mcp: {
      tool: 'list_notifications',
      description:
        "The creator's notifications, newest first (posts due, campaign generated or failed, completion); unread=true for unread ones only. Free, read-only.",
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'ReadNotification',
    method: 'POST',
    path: '/notifications/{id}/read',
    entry: 'functions/api/notification-read.ts',
    auth: 'jwt',
    summary: 'Marks one notification read (the first read time stays)',
    tag: 'notifications',
    request: { params: notificationPathSchema },
    response: { status: 200, data: notificationSchema },
    errors: ['NOTIFICATION_NOT_FOUND'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'ReadAllNotifications',
    method: 'POST',
    path: '/notifications/read-all',
    entry: 'functions/api/notification-read-all.ts',
    auth: 'jwt',
    summary: 'Marks unread notifications read, up to 500 per call (`more: true`: call again)',
    tag: 'notifications',
    response: { status: 200, data: readAllResultSchema },
    access: { table: 'readwrite', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
