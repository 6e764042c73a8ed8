import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createMcpServer } from '../../shared/app/mcp-server';
import { bearerAuthenticator } from '../../shared/auth/bearer';
import { readConfig } from '../../shared/core/config';
import { errorBody, meta, RawReply } from '../../shared/http/envelope';
import { apiBaseUrl, PROTECTED_RESOURCE_PATH, toolEvent, type McpRouteId } from '../../shared/http/mcp-tools';
import { httpRoute } from '../../shared/http/middleware';
import { mcpRoutes } from '../../shared/http/routes/mcp';

type RouteHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The module of each route a tool calls: a tool call runs that route's own Middy chain in this
 * process (scope, tenant, validation, rate limit, idempotency, quotas), without an HTTP round trip.
 * The only handler that imports others (docs/architecture.md). Imported on the first call of its
 * tool: each is a chunk of the bundle (infra/bundle.ts), so a cold start loads only the MCP SDK and
 * the generated tool list (shared/http/mcp-tools.gen.ts), neither the route table nor its schemas.
 */
export const ROUTE_MODULES: Record<McpRouteId, () => Promise<{ handler: unknown }>> = {
  ApproveLessons: () => import('./lessons-approve'),
  CompleteCampaignOnboarding: () => import('./campaign-complete-onboarding'),
  ConfirmDay: () => import('./confirm-day'),
  CreateCampaign: () => import('./campaign-create'),
  CreateOnboarding: () => import('./onboarding'),
  EstimateCampaign: () => import('./campaign-estimate'),
  EstimateReplan: () => import('./replan-estimate'),
  GetCampaign: () => import('./campaign-get'),
  GetCampaignPacing: () => import('./campaign-pacing'),
  GetCampaignStats: () => import('./campaign-stats'),
  GetContent: () => import('./content-get'),
  GetJob: () => import('./job-get'),
  GetLessons: () => import('./lessons-get'),
  GetProfile: () => import('./profile-get'),
  GetProfileCompletion: () => import('./profile-completion'),
  GetReplan: () => import('./replan-get'),
  GetSchedule: () => import('./schedule-get'),
  ListCampaigns: () => import('./campaign-list'),
  ListNotifications: () => import('./notification-list'),
  RegenerateContent: () => import('./content-regenerate'),
  StartCampaign: () => import('./campaign-start'),
  StartReplan: () => import('./replan-start'),
  UpdateCampaignOnboarding: () => import('./campaign-onboarding'),
  UpdateContent: () => import('./content-update'),
};

const loaded = new Map<McpRouteId, Promise<RouteHandler>>();

/** The handler of a tool's route, imported once per instance. */
export function routeHandler(id: McpRouteId): Promise<RouteHandler> {
  let pending = loaded.get(id);
  if (!pending) {
    pending = ROUTE_MODULES[id]().then((module) => module.handler as RouteHandler);
    // A failed import is not cached: the next call tries again.
    pending.catch(() => loaded.delete(id));
    loaded.set(id, pending);
  }
  return pending;
}

const config = readConfig(['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL', 'APP_VERSION']);
const authenticate = bearerAuthenticator(config);

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  new RawReply({ statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) });

/** POST /mcp: the caller authenticated like the API (a Clerk JWT or an API key), then one stateless MCP exchange. GET /mcp: 405. */
export const handler = httpRoute(mcpRoutes, 'McpServer', async ({ event, context }) => {
  const requestMeta = meta(event.requestContext.requestId);
  if (event.requestContext.http.method !== 'POST') {
    return json(
      405,
      errorBody('METHOD_NOT_ALLOWED', 'This MCP server is stateless and opens no event stream: POST JSON-RPC messages', requestMeta),
      {
        allow: 'POST',
      },
    );
  }
  const baseUrl = apiBaseUrl(event);
  const caller = await authenticate(event.headers.authorization);
  if (!caller) {
    // RFC 9728 §5.1: the assistant learns from this header where the metadata (and so Clerk) is.
    return json(401, errorBody('UNAUTHORIZED', 'Send a Clerk session token or an API key as Authorization: Bearer', requestMeta), {
      'www-authenticate': `Bearer resource_metadata="${baseUrl}${PROTECTED_RESOURCE_PATH}"`,
    });
  }
  let calls = 0;
  const server = createMcpServer(config.APP_VERSION, async (route, input) => {
    const runRoute = await routeHandler(route.id);
    return runRoute(toolEvent(route, input, caller, event, ++calls), context);
  });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const body = event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body;
    const headers = new Headers(Object.entries(event.headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const response = await transport.handleRequest(new Request(`${baseUrl}${event.rawPath}`, { method: 'POST', headers, body }));
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = value));
    return new RawReply({ statusCode: response.status, headers: responseHeaders, body: await response.text() });
  } finally {
    await server.close();
  }
});
