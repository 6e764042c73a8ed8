import * as z from 'zod';
import { singleLineText } from './common';
import { planLimitsSchema, tierSchema } from './plans';

export const planSchema = z.object({ tier: tierSchema, limits: planLimitsSchema }).meta({ id: 'Plan' });

export const quotaSchema = z
  .object({
    limit: z.string().meta({ description: 'The plan limit, as named in PlanLimits' }),
    used: z.number().int(),
    max: z.number().int(),
    resetsAt: z.iso.datetime().optional().meta({ description: 'When a monthly quota starts again (absent: not monthly)' }),
  })
  .meta({ id: 'Quota' });

export const accountSchema = z
  .object({
    userId: z.string(),
    email: z.string().optional(),
    tier: tierSchema,
    period: z.object({ month: z.string(), start: z.iso.datetime(), resetsAt: z.iso.datetime() }),
    limits: planLimitsSchema,
    ownAiKey: z.boolean().meta({
      description: 'The creator has their own Gemini key stored (PUT /account/ai-key): their LLM calls run on it and no LLM budget applies',
    }),
    usage: z.object({
      llmCalls: z.number().int().meta({ description: "Calls on the platform's models (and the offline provider)" }),
      tokensIn: z.number().int(),
      tokensOut: z.number().int(),
      images: z.number().int(),
      costMicroUsd: z.number().int().meta({ description: 'What the platform paid: what the LLM budget is checked against' }),
      byokLlmCalls: z.number().int().meta({ description: "Calls answered on the creator's own Gemini key: metered, never charged" }),
      byokTokensIn: z.number().int(),
      byokTokensOut: z.number().int(),
      campaignsStarted: z.number().int(),
      regenerations: z.number().int(),
      activeCampaigns: z.number().int(),
      webhooks: z.number().int().meta({ description: 'Webhook subscriptions the creator has' }),
      apiKeys: z.number().int().meta({ description: 'API keys the creator has' }),
    }),
    quotas: z.array(quotaSchema).meta({ description: 'Usage against every limit that is counted' }),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

export const planChangeSchema = z
  .strictObject({
    tier: tierSchema,
    userId: singleLineText().min(1).max(200).optional().meta({ description: "Whose plan (default: the caller's own)" }),
  })
  .meta({ id: 'PlanChange' });

export const planChangeResultSchema = z
  .object({ userId: z.string(), tier: tierSchema, updatedAt: z.iso.datetime() })
  .meta({ id: 'PlanChangeResult' });

export const clerkWebhookAckSchema = z
  .object({
    type: z.string(),
    handled: z.boolean(),
    duplicate: z.boolean().meta({ description: 'This svix-id was processed before; nothing changed' }),
  })
  .meta({ id: 'ClerkWebhookAck' });

export const aiKeyRequestSchema = z
  .strictObject({
    apiKey: z
      .string()
      .trim()
      .min(20)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .meta({ description: 'A Gemini API key (Google AI Studio); checked with one free request to Gemini before it is stored, encrypted' }),
  })
  .meta({ id: 'AiKeyRequest' });

export const aiKeySchema = z
  .object({
    last4: z.string().meta({ description: 'The last four characters of the key; the key itself is never returned' }),
    addedAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().optional().meta({ description: 'When an agent call last ran on this key' }),
  })
  .meta({ id: 'AiKey' });
