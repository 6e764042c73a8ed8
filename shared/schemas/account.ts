import * as z from './zod';
import { singleLineText } from './common';
import { planLimitsSchema, tierSchema } from './plans';

export const planSchema = z.withMeta(z.object({ tier: tierSchema, limits: planLimitsSchema }), { id: 'Plan' });

export const quotaSchema = z.withMeta(
  z.object({
    limit: z.withMeta(z.string(), { description: 'The plan limit, as named in PlanLimits' }),
    used: z.number().check(z.int()),
    max: z.number().check(z.int()),
    resetsAt: z.withMeta(z.optional(z.iso.datetime()), { description: 'When a monthly quota starts again (absent: not monthly)' }),
  }),
  { id: 'Quota' },
);

export const accountSchema = z.withMeta(
  z.object({
    userId: z.string(),
    email: z.optional(z.string()),
    tier: tierSchema,
    period: z.object({ month: z.string(), start: z.iso.datetime(), resetsAt: z.iso.datetime() }),
    limits: planLimitsSchema,
    ownAiKey: z.withMeta(z.boolean(), {
      description: 'The creator has their own Gemini key stored (PUT /account/ai-key): their LLM calls run on it and no LLM budget applies',
    }),
    usage: z.object({
      llmCalls: z.withMeta(z.number().check(z.int()), { description: "Calls on the platform's models (and the offline provider)" }),
      tokensIn: z.number().check(z.int()),
      tokensOut: z.number().check(z.int()),
      images: z.number().check(z.int()),
      costMicroUsd: z.withMeta(z.number().check(z.int()), {
        description: 'What the platform paid: what the LLM budget is checked against',
      }),
      byokLlmCalls: z.withMeta(z.number().check(z.int()), {
        description: "Calls answered on the creator's own Gemini key: metered, never charged",
      }),
      byokTokensIn: z.number().check(z.int()),
      byokTokensOut: z.number().check(z.int()),
      campaignsStarted: z.number().check(z.int()),
      regenerations: z.number().check(z.int()),
      activeCampaigns: z.number().check(z.int()),
      webhooks: z.withMeta(z.number().check(z.int()), { description: 'Webhook subscriptions the creator has' }),
      apiKeys: z.withMeta(z.number().check(z.int()), { description: 'API keys the creator has' }),
    }),
    quotas: z.withMeta(z.array(quotaSchema), { description: 'Usage against every limit that is counted' }),
  }),
  { id: 'Account' },
);
export type Account = z.infer<typeof accountSchema>;

export const planChangeSchema = z.withMeta(
  z.strictObject({
    tier: tierSchema,
    userId: z.withMeta(z.optional(singleLineText().check(z.minLength(1), z.maxLength(200))), {
      description: "Whose plan (default: the caller's own)",
    }),
  }),
  { id: 'PlanChange' },
);

export const planChangeResultSchema = z.withMeta(z.object({ userId: z.string(), tier: tierSchema, updatedAt: z.iso.datetime() }), {
  id: 'PlanChangeResult',
});

export const clerkWebhookAckSchema = z.withMeta(
  z.object({
    type: z.string(),
    handled: z.boolean(),
    duplicate: z.withMeta(z.boolean(), { description: 'This svix-id was processed before; nothing changed' }),
  }),
  { id: 'ClerkWebhookAck' },
);

export const aiKeyRequestSchema = z.withMeta(
  z.strictObject({
    apiKey: z.withMeta(
      z.string().check(z.trim(), z.minLength(20), z.maxLength(200), z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')),
      { description: 'A Gemini API key (Google AI Studio); checked with one free request to Gemini before it is stored, encrypted' },
    ),
  }),
  { id: 'AiKeyRequest' },
);

export const aiKeySchema = z.withMeta(
  z.object({
    last4: z.withMeta(z.string(), { description: 'The last four characters of the key; the key itself is never returned' }),
    addedAt: z.iso.datetime(),
    lastUsedAt: z.withMeta(z.optional(z.iso.datetime()), { description: 'When an agent call last ran on this key' }),
  }),
  { id: 'AiKey' },
);
