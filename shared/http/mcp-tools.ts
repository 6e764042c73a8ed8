import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AuthorizerContext } from './identity';
import type { McpRouteId, McpToolRoute, McpToolSpec } from './mcp-tool-types';
import type { RequestHeader } from './routes/route';

export type { McpRouteId, McpTool, McpToolRoute, McpToolSpec } from './mcp-tool-types';

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/** The request headers a tool takes as arguments (they keep their HTTP meaning). */
export const HEADER_ARGUMENTS: Partial<Record<RequestHeader, { name: string; description: string }>> = {
  'Idempotency-Key': {
    name: 'idempotencyKey',
    description: 'Any unique string (1-255 printable ASCII characters): a retry with the same key runs the call once (24 h)',
  },
  'If-Match': {
    name: 'ifMatch',
    description: 'The version (ETag) last read: refuses the change (PRECONDITION_FAILED) if someone changed it since',
  },
};

let tools: Promise<readonly McpToolSpec[]> | undefined;

/**
 * The tools (generated from the route table: shared/http/mcp-tools.gen.ts), imported at their
 * first use: a chunk of the bundle (25 KB), which an initialize, a ping or a prompt never loads.
 */
export function mcpTools(): Promise<readonly McpToolSpec[]> {
  if (!tools) {
    tools = import('./mcp-tools.gen').then((module) => module.mcpTools);
    // A failed import is not cached: the next call tries again.
    tools.catch(() => (tools = undefined));
  }
  return tools;
}

/** The tool of that name and its route, if the server has it. */
export async function toolNamed(name: string): Promise<McpToolSpec | undefined> {
  return (await mcpTools()).find(({ tool }) => tool.name === name);
}

/** The route of a tool, by the route's id (the resources read through GetProfile and GetSchedule). */
export async function toolRoute(id: McpRouteId): Promise<McpToolRoute> {
  return (await mcpTools()).find(({ route }) => route.id === id)!.route;
}

const pathNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
const asParameter = (value: unknown) => (Array.isArray(value) ? value.map(String).join(',') : String(value));

/**
 * The API Gateway event the route's own function would receive for this tool call: the same
 * request context (the MCP call's request id and source), the MCP caller as the bearer
 * authorizer's context, path and query as strings, the body as JSON. The route's Middy chain then
 * does what it does for HTTP: scope, validation, rate limit, idempotency, quotas.
 */
export function toolEvent(
  route: McpToolRoute,
  input: Record<string, unknown>,
  caller: AuthorizerContext,
  origin: Event,
  call: number,
): Event {
  const names = pathNames(route.path);
  const pathParameters = Object.fromEntries(
    names.filter((name) => input[name] !== undefined).map((name) => [name, asParameter(input[name])]),
  );
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters[name] ?? ''));
  const queryStringParameters = Object.fromEntries(
    route.query.filter((name) => input[name] !== undefined && input[name] !== null).map((name) => [name, asParameter(input[name])]),
  );
  const headers: Record<string, string> = { 'content-type': 'application/json', host: origin.headers?.host ?? '' };
  for (const header of route.headers) {
    const { name } = HEADER_ARGUMENTS[header]!;
    if (typeof input[name] === 'string') headers[header.toLowerCase()] = input[name];
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
    ...(route.body && input.body !== undefined && { body: JSON.stringify(input.body) }),
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
