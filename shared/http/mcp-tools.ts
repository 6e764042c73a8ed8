import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { AuthorizerContext } from './identity';
import { routes, type RequestHeader, type RouteDef } from './routes';

type JsonSchema = Record<string, unknown>;
type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/** The routes the MCP server exposes as tools: those with an `mcp` field in the route table. */
export const mcpRoutes = (routes as readonly RouteDef[]).filter((route): route is RouteDef & { mcp: NonNullable<RouteDef['mcp']> } =>
  Boolean(route.mcp),
);
export type McpRouteId = Extract<(typeof routes)[number], { mcp: object }>['id'];

/** The request headers a tool takes as arguments (they keep their HTTP meaning). */
const HEADER_ARGUMENTS: Partial<Record<RequestHeader, { name: string; description: string }>> = {
  'Idempotency-Key': {
    name: 'idempotencyKey',
    description: 'Any unique string (1-255 printable ASCII characters): a retry with the same key runs the call once (24 h)',
  },
  'If-Match': {
    name: 'ifMatch',
    description: 'The version (ETag) last read: refuses the change (PRECONDITION_FAILED) if someone changed it since',
  },
};

/** A schema with named components inlined: a tool's input schema stands alone, without the document's $defs. */
function inputJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _schema, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    metadata: z.registry(),
  }) as JsonSchema;
  return json;
}

function objectParts(schema: z.ZodType | undefined): { properties: Record<string, JsonSchema>; required: string[] } {
  if (!schema) return { properties: {}, required: [] };
  const json = inputJsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return { properties: json.properties ?? {}, required: json.required ?? [] };
}

export interface McpTool {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, JsonSchema>; required?: string[]; additionalProperties: false };
  annotations: { title: string; readOnlyHint: boolean; idempotentHint: boolean; openWorldHint: false };
}

/** A tool's input: the route's path parameters and query at the top level, its JSON body under `body`, the headers it honours. */
export function toolOf(route: RouteDef & { mcp: NonNullable<RouteDef['mcp']> }): McpTool {
  const path = objectParts(route.request?.params);
  const query = objectParts(route.request?.query);
  const properties: Record<string, JsonSchema> = { ...path.properties, ...query.properties };
  const required = [...path.required, ...query.required];
  const body = route.request?.body;
  if (body) {
    properties.body = { ...inputJsonSchema(body), description: 'The JSON request body' };
    if (!body.safeParse(undefined).success) required.push('body');
  }
  for (const header of route.request?.headers ?? []) {
    const argument = HEADER_ARGUMENTS[header];
    if (argument) properties[argument.name] = { type: 'string', description: argument.description };
  }
  return {
    name: route.mcp.tool,
    description: route.mcp.description,
    inputSchema: { type: 'object', properties, ...(required.length > 0 && { required }), additionalProperties: false },
    annotations: {
      title: route.summary,
      readOnlyHint: route.method === 'GET',
      idempotentHint: route.method !== 'POST',
      openWorldHint: false,
    },
  };
}

export function routeOfTool(name: string) {
  return mcpRoutes.find((route) => route.mcp.tool === name);
}

const pathNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
const asParameter = (value: unknown) => (Array.isArray(value) ? value.map(String).join(',') : String(value));

/**
 * The API Gateway event the route's own function would receive for this tool call: the same
 * request context (the MCP call's request id and source), the MCP caller as the bearer
 * authorizer's context, path and query as strings, the body as JSON. The route's Middy chain then
 * does what it does for HTTP: scope, validation, rate limit, idempotency, quotas.
 */
export function toolEvent(route: RouteDef, input: Record<string, unknown>, caller: AuthorizerContext, origin: Event, call: number): Event {
  const names = pathNames(route.path);
  const pathParameters = Object.fromEntries(
    names.filter((name) => input[name] !== undefined).map((name) => [name, asParameter(input[name])]),
  );
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name] ?? ''));
  const queryNames = Object.keys(objectParts(route.request?.query).properties);
  const queryStringParameters = Object.fromEntries(
    queryNames.filter((name) => input[name] !== undefined && input[name] !== null).map((name) => [name, asParameter(input[name])]),
  );
  const headers: Record<string, string> = { 'content-type': 'application/json', host: origin.headers?.host ?? '' };
  for (const header of route.request?.headers ?? []) {
    const argument = HEADER_ARGUMENTS[header];
    if (argument && typeof input[argument.name] === 'string') headers[header.toLowerCase()] = input[argument.name] as string;
  }
  const routeKey = `${route.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(queryStringParameters).toString(),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 && { queryStringParameters }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      ...origin.requestContext,
      http: { ...origin.requestContext.http, method: route.method, path: rawPath },
      requestId: `${origin.requestContext.requestId}-${call}`,
      routeKey,
      authorizer: { lambda: caller },
    },
    ...(route.request?.body && input.body !== undefined && { body: JSON.stringify(input.body) }),
    isBase64Encoded: false,
  } as unknown as Event;
}

export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

/** The route's answer as a tool result: its JSON as is (`{ data, meta }`), or a tool error carrying `{ error: { code, message, details } }`. */
export function toolResult(response: APIGatewayProxyStructuredResultV2): ToolResult {
  const status = response.statusCode ?? 200;
  const text = response.body ?? '';
  return {
    content: [{ type: 'text', text: text.length > 0 ? text : JSON.stringify({ status }) }],
    ...(status >= 400 && { isError: true }),
  };
}

/** The API's own origin as the caller reached it (API Gateway sets X-Forwarded-Proto; the local gateway serves plain HTTP). */
export function apiBaseUrl(event: Event): string {
  const host = event.headers?.host ?? event.requestContext.domainName;
  const proto = event.headers?.['x-forwarded-proto'] ?? (/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/** RFC 9728 metadata: this API is the resource, Clerk (the JWT issuer) its authorization server. */
export function protectedResourceMetadata(baseUrl: string, issuer: string) {
  return {
    resource: baseUrl,
    authorization_servers: [issuer],
    bearer_methods_supported: ['header'],
    resource_name: 'Crescendo',
    resource_documentation: `${baseUrl}/docs`,
  };
}
