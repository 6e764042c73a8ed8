import * as z from './zod';
import { JOB_ID_PATTERN } from './common';
import { notificationTypes } from './vocabulary';

export const notificationIdSchema = z.withMeta(z.string().check(z.regex(JOB_ID_PATTERN)), {
  description: 'Notification id (ULID of the event time), also the id of the event it tells about',
});

export const notificationSchema = z.withMeta(
  z.object({
    notificationId: notificationIdSchema,
    type: z.enum(notificationTypes),
    title: z.string(),
    message: z.string(),
    campaignId: z.optional(z.uuid()),
    data: z.withMeta(z.record(z.string(), z.unknown()), { description: 'The facts of the event, as in its webhook payload' }),
    occurredAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    readAt: z.optional(z.iso.datetime()),
  }),
  { id: 'Notification' },
);
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  unread: z.withMeta(
    z.optional(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((value) => value === 'true'),
      ),
    ),
    { description: 'true: only notifications not read yet (a page may then hold fewer than `limit`; follow nextCursor)' },
  ),
});

export const notificationPathSchema = z.strictObject({ id: notificationIdSchema });

export const readAllResultSchema = z.withMeta(
  z.object({
    marked: z.withMeta(z.number().check(z.int()), { description: 'Notifications marked read by this call' }),
    more: z.withMeta(z.boolean(), { description: 'true when unread notifications remain beyond this call’s limit; call again' }),
  }),
  { id: 'ReadAllResult' },
);
