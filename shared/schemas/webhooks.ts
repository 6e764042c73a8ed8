import * as z from 'zod';
import { isSingleLine, JOB_ID_PATTERN, SINGLE_LINE_MESSAGE, singleLineText } from './common';
import { deliveryStatuses, eventTypes, webhookStatuses } from './vocabulary';

export const webhookIdSchema = z.string().regex(JOB_ID_PATTERN).meta({ description: 'Webhook id (ULID)' });
export const eventTypeSchema = z.enum(eventTypes).meta({ id: 'EventType' });

export const createWebhookSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .refine(isSingleLine, { message: SINGLE_LINE_MESSAGE })
      .meta({ description: 'HTTPS endpoint; must resolve to a public address (checked again at every delivery)' }),
    eventTypes: z
      .array(eventTypeSchema)
      .min(1)
      .max(eventTypes.length)
      .refine((types) => new Set(types).size === types.length, { message: 'list each event type once' }),
    description: singleLineText().trim().min(1).max(200).optional(),
  })
  .meta({ id: 'CreateWebhook' });

export const webhookSchema = z
  .object({
    webhookId: webhookIdSchema,
    url: z.string(),
    eventTypes: z.array(eventTypeSchema),
    description: z.string().optional(),
    status: z.enum(webhookStatuses),
    consecutiveFailures: z.number().int(),
    disabledAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof webhookSchema>;

export const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().meta({ description: 'Signing secret: shown in this response only; store it to verify Crescendo-Signature' }),
  })
  .meta({ id: 'CreatedWebhook' });

export const webhookPathSchema = z.strictObject({ id: webhookIdSchema });

export const deliveryAttemptSchema = z.object({
  attempt: z.number().int(),
  at: z.iso.datetime(),
  status: z.number().int().optional().meta({ description: "The receiver's HTTP status" }),
  error: z.string().optional().meta({ description: 'Why no status came back (timeout, refused address, connection error)' }),
  durationMs: z.number().int(),
});

export const deliverySchema = z
  .object({
    deliveryId: webhookIdSchema,
    webhookId: webhookIdSchema,
    eventId: z.string(),
    type: z.string(),
    status: z.enum(deliveryStatuses),
    attempts: z.array(deliveryAttemptSchema),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookDelivery' });
export type Delivery = z.infer<typeof deliverySchema>;
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

export const listDeliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});
