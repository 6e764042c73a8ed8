import * as z from 'zod';
import { JOB_ID_PATTERN, singleLineText } from './common';
import { apiKeyScopes } from './vocabulary';

export const apiKeyIdSchema = z.string().regex(JOB_ID_PATTERN).meta({ description: 'API key id (ULID)' });
export const apiKeyScopeSchema = z.enum(apiKeyScopes).meta({ id: 'ApiKeyScope' });

export const createApiKeySchema = z
  .strictObject({
    name: singleLineText().trim().min(1).max(100),
    scopes: z
      .array(apiKeyScopeSchema)
      .min(1)
      .max(apiKeyScopes.length)
      .refine((scopes) => new Set(scopes).size === scopes.length, { message: 'list each scope once' }),
    expiresAt: z.iso
      .datetime()
      .refine((at) => Date.parse(at) > Date.now(), { message: 'must be in the future' })
      .optional()
      .meta({ description: 'When the key stops working (absent: never; revoke it with DELETE)' }),
  })
  .meta({ id: 'CreateApiKey' });
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

export const apiKeySchema = z
  .object({
    keyId: apiKeyIdSchema,
    name: z.string(),
    scopes: z.array(apiKeyScopeSchema),
    prefix: z.string().meta({ description: 'The first characters of the key, to recognise it' }),
    last4: z.string().meta({ description: 'The last 4 characters of the key' }),
    expiresAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z.string().meta({ description: 'The key (`crk_…`): shown in this response only, send it as `Authorization: Bearer <key>`' }),
  })
  .meta({ id: 'CreatedApiKey' });

export const listApiKeysQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

export const apiKeyPathSchema = z.strictObject({ id: apiKeyIdSchema });
