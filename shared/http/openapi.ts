import * as z from '../schemas/zod';
import { envelopeOf } from '../schemas/common';
import { errorStatus, type ErrorCode } from '../core/errors';
import { countsTowardRateLimit, routes, type RequestHeader, type RouteDef } from './routes';

const COMPONENTS = '#/components/schemas/';
const ref = (id: string) => ({ $ref: `${COMPONENTS}${id}` });
type JsonSchema = Record<string, unknown>;

const REQUEST_HEADERS: Record<RequestHeader, { required: boolean; description: string; schema: JsonSchema }> = {
  'Idempotency-Key': {
    required: false,
    description:
      'Runs the request once per key for 24 h: a retry with the same key and parameters gets the stored response (`Idempotent-Replayed: true`), 409 IN_PROGRESS while the first one runs, 422 IDEMPOTENCY_KEY_REUSED with other parameters',
    schema: { type: 'string', pattern: '^[\\x20-\\x7e]{1,255}$' },
  },
  'If-Match': {
    required: false,
    description: 'The version from the ETag (`3`, `"3"` or `W/"3"`); a stale one answers 412 PRECONDITION_FAILED',
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,15}"?$' },
  },
  'svix-id': { required: true, description: 'Svix message id; a replayed id is processed once', schema: { type: 'string' } },
  'svix-timestamp': { required: true, description: 'Svix signing time, epoch seconds', schema: { type: 'string' } },
  'svix-signature': { required: true, description: 'Svix signatures of the payload', schema: { type: 'string' } },
};

const integerHeader = (description: string) => ({ description, schema: { type: 'string', pattern: '^\\d+$' } });
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': integerHeader("Requests per minute of the caller's plan"),
  'RateLimit-Remaining': integerHeader('Requests left in the current minute'),
  'RateLimit-Reset': integerHeader('Seconds until the window resets'),
};

/**
 * API Gateway's own error bodies, which an HTTP API cannot customise: its authorizers' 401, its
 * payload limit and its stage throttle.
 */
const gatewayError = (message: string) => ({
  type: 'object',
  properties: { message: { const: message } },
  required: ['message'],
  additionalProperties: false,
  description: `API Gateway's own answer: {"message":"${message}"}`,
});

/** Operations that declare a body, in the shape and with the requiredness the server enforces. */
function bodyOf(route: RouteDef) {
  const schema = route.request?.body;
  if (!schema) return undefined;
  return {
    // The middleware parses a missing body as `undefined` with the route's schema: optional when that passes.
    required: !schema.safeParse(undefined).success,
    schema: schema instanceof z.ZodMiniOptional ? (schema.def.innerType as z.ZodMiniType) : schema,
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(schema: z.ZodMiniType | undefined) {
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

function headerParameters(route: RouteDef) {
  return (route.request?.headers ?? []).map((name) => ({ name, in: 'header', ...REQUEST_HEADERS[name] }));
}

/** Every error code the route can answer: the ones it names plus those its middleware chain and headers imply. */
function errorCodes(route: RouteDef): ErrorCode[] {
  const headers = route.request?.headers ?? [];
  const codes = new Set<ErrorCode>(['INTERNAL', ...((route.errors ?? []) as ErrorCode[])]);
  if (route.method !== 'GET') codes.add('PAYLOAD_TOO_LARGE');
  if (route.request?.body) ['INVALID_JSON', 'UNSUPPORTED_MEDIA_TYPE'].forEach((code) => codes.add(code as ErrorCode));
  if (route.request?.body || route.request?.query || route.request?.params || headers.length > 0) codes.add('VALIDATION_FAILED');
  if (route.auth !== 'public') codes.add('UNAUTHORIZED');
  if (route.apiKeyScope) codes.add('INSUFFICIENT_SCOPE');
  if (countsTowardRateLimit(route)) codes.add('RATE_LIMITED');
  if (headers.includes('Idempotency-Key')) ['IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'].forEach((code) => codes.add(code as ErrorCode));
  if (headers.includes('If-Match')) codes.add('PRECONDITION_FAILED');
  return [...codes];
}

/** The error envelope with `error.code` narrowed to the codes this status carries on this route. */
function envelopeWithCodes(codes: string[]) {
  return { allOf: [ref('ErrorResponse'), { properties: { error: { properties: { code: { enum: codes } } } } }] };
}

function errorResponses(route: RouteDef) {
  const byStatus = new Map<number, string[]>();
  for (const code of errorCodes(route)) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const gatewayAnswers: Record<number, string> = { 413: 'Request Entity Too Large', 429: 'Too Many Requests' };
  // The authorizer answers before the function runs; the function's own 401 is the envelope.
  if (route.auth === 'jwt') gatewayAnswers[401] = 'Unauthorized';
  const statuses = [...new Set([...byStatus.keys(), ...Object.keys(gatewayAnswers).map(Number)])].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = byStatus.get(status);
      const gateway = gatewayAnswers[status];
      const variants = [...(codes ? [envelopeWithCodes(codes)] : []), ...(gateway ? [gatewayError(gateway)] : [])];
      const description = [codes && `Error codes: ${codes.join(', ')}`, gateway && `API Gateway: ${gateway}`].filter(Boolean).join('; ');
      // The limiter's headers ride on every answer of the function once the request was counted.
      const headers =
        codes && countsTowardRateLimit(route)
          ? { ...(status === 429 && { 'Retry-After': integerHeader('Seconds until the window resets') }), ...RATE_LIMIT_HEADERS }
          : undefined;
      return [
        String(status),
        {
          description,
          ...(headers && { headers }),
          content: { 'application/json': { schema: variants.length === 1 ? variants[0] : { anyOf: variants } } },
        },
      ];
    }),
  );
}

function successResponse(route: RouteDef, responseId: string | undefined) {
  const { status, raw, etag } = route.response;
  const headers = {
    ...(etag && { ETag: { description: 'The version, for If-Match', schema: { type: 'string' } } }),
    ...(route.request?.headers?.includes('Idempotency-Key') && {
      'Idempotent-Replayed': {
        description: '`true` on a stored response replayed for a repeated Idempotency-Key',
        schema: { const: 'true' },
      },
    }),
    ...(countsTowardRateLimit(route) && RATE_LIMIT_HEADERS),
  };
  const content = responseId
    ? { 'application/json': { schema: ref(responseId) } }
    : raw && Object.fromEntries([raw].flat().map((type) => [type, {}]));
  const response = { description: route.summary, ...(Object.keys(headers).length > 0 && { headers }), ...(content && { content }) };
  return Object.fromEntries([status, ...(route.response.alsoStatuses ?? [])].map((code) => [String(code), response]));
}

/** The answers a raw route's own protocol defines (the MCP transport's), each with its body's component. */
function protocolResponses(route: RouteDef, errorStatuses: string[]) {
  return Object.fromEntries(
    (route.response.protocol ?? []).map(({ status, description, body }) => {
      if (errorStatuses.includes(String(status))) throw new Error(`${route.id}: ${status} is both a protocol answer and an error envelope`);
      const id = body && registerComponent(body, `${route.id}${status}Response`);
      return [String(status), { description, ...(id && { content: { 'application/json': { schema: ref(id) } } }) }];
    }),
  );
}

interface RouteComponents {
  body?: { id: string; required: boolean };
  response?: string;
}

/** A `bearer` route takes a JWT or an API key of any scope (each tool then needs its own route's scope). */
function securityOf(route: RouteDef) {
  if (route.auth === 'public') return [];
  if (route.auth === 'bearer') return [{ bearerAuth: [] }, { apiKey: [] }];
  return [{ bearerAuth: [] }, ...(route.apiKeyScope ? [{ apiKey: [route.apiKeyScope] }] : [])];
}

function operation(route: RouteDef, components: RouteComponents, inputIds: Set<string>) {
  const { body } = components;
  const errors = errorResponses(route);
  return {
    operationId: route.id,
    summary: route.summary,
    tags: [route.tag],
    security: securityOf(route),
    parameters: [...pathParameters(route.path), ...queryParameters(route.request?.query), ...headerParameters(route)],
    ...(body && {
      requestBody: {
        required: body.required,
        content: { 'application/json': { schema: ref(inputIds.has(body.id) ? `${body.id}Input` : body.id) } },
      },
    }),
    responses: { ...successResponse(route, components.response), ...protocolResponses(route, Object.keys(errors)), ...errors },
  };
}

/**
 * Every request body and response envelope becomes a named component of the global zod registry
 * (where the shared schemas already live), so the document references instead of repeating.
 */
function registerComponent(schema: z.ZodMiniType, fallbackId: string): string {
  const existing = z.globalRegistry.get(schema)?.id;
  if (existing) return existing;
  z.globalRegistry.add(schema, { id: fallbackId });
  return fallbackId;
}

function registrySchemas(io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${COMPONENTS}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

function mapRefs(value: unknown, rename: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, rename));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(COMPONENTS)
        ? [key, `${COMPONENTS}${rename(inner.slice(COMPONENTS.length))}`]
        : [key, mapRefs(inner, rename)],
    ),
  );
}

function refIds(value: unknown): string[] {
  const ids: string[] = [];
  mapRefs(value, (id) => (ids.push(id), id));
  return ids;
}

/**
 * Responses are documented with the output shape (defaults applied, so those fields are always
 * there); request bodies with the input shape (those fields optional, before transforms). A
 * component a request body reaches whose input shape differs from its output, itself or through a
 * component it references, gets an `Input` twin; the others serve both directions.
 */
function componentSchemas(bodyIds: string[]) {
  const output = registrySchemas('output');
  const input = registrySchemas('input');
  const reachable = new Set<string>();
  const visit = (id: string) => {
    if (reachable.has(id)) return;
    reachable.add(id);
    refIds(input[id]).forEach(visit);
  };
  bodyIds.forEach(visit);
  const differing = new Set([...reachable].filter((id) => JSON.stringify(input[id]) !== JSON.stringify(output[id])));
  for (let grown = true; grown;) {
    grown = false;
    for (const id of reachable) {
      if (!differing.has(id) && refIds(input[id]).some((inner) => differing.has(inner))) {
        differing.add(id);
        grown = true;
      }
    }
  }
  const inputComponents = [...differing].map((id) => [
    `${id}Input`,
    mapRefs(input[id], (inner) => (differing.has(inner) ? `${inner}Input` : inner)),
  ]);
  return { schemas: { ...output, ...Object.fromEntries(inputComponents) }, inputIds: differing };
}

let document: ReturnType<typeof buildDocument> | undefined;

/** Built once per process: registering the components twice would clash. */
export function buildOpenApiDocument(version: string) {
  document ??= buildDocument(version);
  return document;
}

function buildDocument(version: string) {
  // Register first: both passes over the registry need every body and envelope in it.
  const components = new Map<string, RouteComponents>();
  for (const route of routes as readonly RouteDef[]) {
    const body = bodyOf(route);
    const { data } = route.response;
    components.set(route.id, {
      ...(body && { body: { id: registerComponent(body.schema, `${route.id}Request`), required: body.required } }),
      ...(data && { response: registerComponent(envelopeOf(data), `${route.id}Response`) }),
    });
    for (const { status, body: answer } of route.response.protocol ?? [])
      if (answer) registerComponent(answer, `${route.id}${status}Response`);
  }
  const bodyIds = [...components.values()].flatMap((c) => (c.body ? [c.body.id] : []));
  const { schemas, inputIds } = componentSchemas(bodyIds);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteDef[]) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, components.get(route.id)!, inputIds) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crescendo API',
      version,
      description:
        "AI-planned content campaigns for creators. Every response of the API's functions uses the envelope `{ data, meta }` or `{ error: { code, message, details }, meta }`; API Gateway's own refusals (its authorizers' 401, its payload limit, its throttle) are `{ message }`.",
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'crk_…',
          description: 'An API key from POST /api-keys; the scope each operation needs is listed with it',
        },
      },
      schemas,
    },
    paths,
  };
}
