import * as z from 'zod';
import { JOB_ID_PATTERN } from './common';
import { notificationTypes } from './vocabulary';

export const notificationIdSchema = z
  .string()
  .regex(JOB_ID_PATTERN)
  .meta({ description: 'Notification id (ULID of the event time), also the id of the event it tells about' });

export const notificationSchema = z
  .object({
    notificationId: notificationIdSchema,
    type: z.enum(notificationTypes),
    title: z.string(),
    message: z.string(),
    campaignId: z.uuid().optional(),
    data: z.record(z.string(), z.unknown()).meta({ description: 'The facts of the event, as in its webhook payload' }),
    occurredAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    readAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .meta({ description: 'true: only notifications not read yet (a page may then hold fewer than `limit`; follow nextCursor)' }),
});

export const notificationPathSchema = z.strictObject({ id: notificationIdSchema });

export const readAllResultSchema = z
  .object({
    marked: z.number().int().meta({ description: 'Notifications marked read by this call' }),
    more: z.boolean().meta({ description: 'true when unread notifications remain beyond this call’s limit; call again' }),
  })
  .meta({ id: 'ReadAllResult' });
