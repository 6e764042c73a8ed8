import { apiKeyPathSchema, apiKeySchema, createApiKeySchema, createdApiKeySchema, listApiKeysQuerySchema } from '../../schemas/api-keys';
import * as z from '../../schemas/zod';
import type { RouteDef } from './route';

/** API keys: create, list, revoke. */
export const apiKeyRoutes = [
  {
    id: 'CreateApiKey',
    method: 'POST',
    path: '/api-keys',
    entry: 'functions/api/api-key-create.ts',
    auth: 'jwt',
    summary: 'Creates an API key for an integration (name, scopes, optional expiry); the key is in this response only',
    tag: 'api-keys',
    request: { body: createApiKeySchema },
    response: { status: 201, data: createdApiKeySchema },
    errors: ['QUOTA_EXCEEDED'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'ListApiKeys',
    method: 'GET',
    path: '/api-keys',
    entry: 'functions/api/api-key-list.ts',
    auth: 'jwt',
    summary: "The caller's API keys, newest first, cursor-paginated: name, scopes, prefix and last 4 characters, expiry; never the key",
    tag: 'api-keys',
    request: { query: listApiKeysQuerySchema },
    response: { status: 200, data: z.array(apiKeySchema) },
    errors: ['INVALID_CURSOR'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'DeleteApiKey',
    method: 'DELETE',
    path: '/api-keys/{id}',
    entry: 'functions/api/api-key-delete.ts',
    auth: 'jwt',
    summary: 'Revokes an API key (effective within the authorizer cache TTL, 60 s)',
    tag: 'api-keys',
    request: { params: apiKeyPathSchema },
    response: { status: 204 },
    errors: ['API_KEY_NOT_FOUND'],
    access: { table: 'readwrite', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
