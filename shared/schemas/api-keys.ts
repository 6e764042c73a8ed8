import * as z from './zod';
import { JOB_ID_PATTERN, singleLineText } from './common';
import { apiKeyScopes } from './vocabulary';

export const apiKeyIdSchema = z.withMeta(z.string().check(z.regex(JOB_ID_PATTERN)), { description: 'API key id (ULID)' });
export const apiKeyScopeSchema = z.withMeta(z.enum(apiKeyScopes), { id: 'ApiKeyScope' });

export const createApiKeySchema = z.withMeta(
  z.strictObject({
    name: singleLineText().check(z.trim(), z.minLength(1), z.maxLength(100)),
    scopes: z.array(apiKeyScopeSchema).check(
      z.minLength(1),
      z.maxLength(apiKeyScopes.length),
      z.refine((scopes) => new Set(scopes).size === scopes.length, { message: 'list each scope once' }),
    ),
    expiresAt: z.withMeta(
      z.optional(z.iso.datetime().check(z.refine((at) => Date.parse(at) > Date.now(), { message: 'must be in the future' }))),
      { description: 'When the key stops working (absent: never; revoke it with DELETE)' },
    ),
  }),
  { id: 'CreateApiKey' },
);
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

export const apiKeySchema = z.withMeta(
  z.object({
    keyId: apiKeyIdSchema,
    name: z.string(),
    scopes: z.array(apiKeyScopeSchema),
    prefix: z.withMeta(z.string(), { description: 'The first characters of the key, to recognise it' }),
    last4: z.withMeta(z.string(), { description: 'The last 4 characters of the key' }),
    expiresAt: z.optional(z.iso.datetime()),
    createdAt: z.iso.datetime(),
  }),
  { id: 'ApiKey' },
);
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z.withMeta(
  z.extend(apiKeySchema, {
    key: z.withMeta(z.string(), {
      description: 'The key (`crk_…`): shown in this response only, send it as `Authorization: Bearer <key>`',
    }),
  }),
  { id: 'CreatedApiKey' },
);

export const listApiKeysQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const apiKeyPathSchema = z.strictObject({ id: apiKeyIdSchema });
