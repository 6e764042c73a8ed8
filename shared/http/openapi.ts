import * as z from 'zod';
import { envelopeOf } from '../schemas/common';
import { errorStatus } from '../core/errors';
import { routes, type RouteDef } from './routes';

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const COMMON_ERRORS = ['VALIDATION_FAILED', 'INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE', 'INTERNAL'] as const;

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(schema: z.ZodType | undefined) {
  if (!schema) return [];
  // An empty metadata registry inlines named schemas: a parameter's schema cannot reference $defs.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', metadata: z.registry() }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

function errorResponses(route: RouteDef) {
  const codes: string[] = [...COMMON_ERRORS, ...(route.errors ?? [])];
  if (route.auth === 'jwt') codes.push('UNAUTHORIZED');
  if (route.apiKeyScope) codes.push('INSUFFICIENT_SCOPE');
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = errorStatus[code as keyof typeof errorStatus];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: `Error codes: ${list.join(', ')}`, content: { 'application/json': { schema: ref('ErrorResponse') } } },
    ]),
  );
}

function successResponse(route: RouteDef) {
  const { status, data, raw } = route.response;
  if (!data && !raw) return { [String(status)]: { description: route.summary } };
  const content = data
    ? { 'application/json': { schema: ref(registerComponent(envelopeOf(data), `${route.id}Response`)) } }
    : { [raw as string]: {} };
  return { [String(status)]: { description: route.summary, content } };
}

function operation(route: RouteDef) {
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [route.tag],
    security: route.auth === 'jwt' ? [{ bearerAuth: [] }, ...(route.apiKeyScope ? [{ apiKey: [route.apiKeyScope] }] : [])] : [],
    parameters: [...pathParameters(route.path), ...queryParameters(route.request?.query)],
    ...(route.request?.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(registerComponent(route.request.body, `${route.id}Request`)) } },
          },
        }
      : {}),
    responses: { ...successResponse(route), ...errorResponses(route) },
  };
}

/**
 * Every request body and response envelope becomes a named component of the global zod registry
 * (where the shared schemas already live), so the document references instead of repeating.
 */
function registerComponent(schema: z.ZodType, fallbackId: string): string {
  const existing = z.globalRegistry.get(schema)?.id;
  if (existing) return existing;
  z.globalRegistry.add(schema, { id: fallbackId });
  return fallbackId;
}

function componentSchemas() {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

let document: ReturnType<typeof buildDocument> | undefined;

/** Built once per process: registering the components twice would clash. */
export function buildOpenApiDocument(version: string) {
  document ??= buildDocument(version);
  return document;
}

function buildDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDef[]) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  // Components last: building the operations registers the envelopes they reference.
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crescendo API',
      version,
      description:
        'AI-planned content campaigns for creators. Every response uses the envelope `{ data, meta }` or `{ error: { code, message, details }, meta }`.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'crk_…', description: 'An API key from POST /api-keys; the scope each operation needs is listed with it' },
      },
      schemas: componentSchemas(),
    },
    paths,
  };
}
