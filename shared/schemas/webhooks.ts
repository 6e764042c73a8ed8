import * as z from './zod';
import { isSingleLine, JOB_ID_PATTERN, SINGLE_LINE_MESSAGE, singleLineText } from './common';
import { deliveryStatuses, eventTypes, webhookStatuses } from './vocabulary';

export const webhookIdSchema = z.withMeta(z.string().check(z.regex(JOB_ID_PATTERN)), { description: 'Webhook id (ULID)' });
export const eventTypeSchema = z.withMeta(z.enum(eventTypes), { id: 'EventType' });

export const createWebhookSchema = z.withMeta(
  z.strictObject({
    url: z.withMeta(z.url({ protocol: /^https?$/ }).check(z.maxLength(2048), z.refine(isSingleLine, { message: SINGLE_LINE_MESSAGE })), {
      description: 'HTTPS endpoint; must resolve to a public address (checked again at every delivery)',
    }),
    eventTypes: z.array(eventTypeSchema).check(
      z.minLength(1),
      z.maxLength(eventTypes.length),
      z.refine((types) => new Set(types).size === types.length, { message: 'list each event type once' }),
    ),
    description: z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(200))),
  }),
  { id: 'CreateWebhook' },
);

export const webhookSchema = z.withMeta(
  z.object({
    webhookId: webhookIdSchema,
    url: z.string(),
    eventTypes: z.array(eventTypeSchema),
    description: z.optional(z.string()),
    status: z.enum(webhookStatuses),
    consecutiveFailures: z.number().check(z.int()),
    disabledAt: z.optional(z.iso.datetime()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'Webhook' },
);
export type Webhook = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = z.withMeta(
  z.extend(webhookSchema, {
    secret: z.withMeta(z.string(), { description: 'Signing secret: shown in this response only; store it to verify Crescendo-Signature' }),
  }),
  { id: 'CreatedWebhook' },
);

export const webhookPathSchema = z.strictObject({ id: webhookIdSchema });

export const deliveryAttemptSchema = z.object({
  attempt: z.number().check(z.int()),
  at: z.iso.datetime(),
  status: z.withMeta(z.optional(z.number().check(z.int())), { description: "The receiver's HTTP status" }),
  error: z.withMeta(z.optional(z.string()), { description: 'Why no status came back (timeout, refused address, connection error)' }),
  durationMs: z.number().check(z.int()),
});

export const deliverySchema = z.withMeta(
  z.object({
    deliveryId: webhookIdSchema,
    webhookId: webhookIdSchema,
    eventId: z.string(),
    type: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.array(deliveryAttemptSchema),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'WebhookDelivery' },
);
export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

export const listDeliveriesQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
