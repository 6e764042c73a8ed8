import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createMcpServer } from '../../shared/app/mcp-server';
import { bearerAuthenticator } from '../../shared/auth/bearer';
import { readConfig } from '../../shared/core/config';
import { errorBody, meta, RawReply } from '../../shared/http/envelope';
import { apiBaseUrl, PROTECTED_RESOURCE_PATH, toolEvent, type McpRouteId } from '../../shared/http/mcp-tools';
import { httpRoute } from '../../shared/http/middleware';
import { handler as approveLessons } from './lessons-approve';
import { handler as completeCampaignOnboarding } from './campaign-complete-onboarding';
import { handler as confirmDay } from './confirm-day';
import { handler as createCampaign } from './campaign-create';
import { handler as createOnboarding } from './onboarding';
import { handler as estimateCampaign } from './campaign-estimate';
import { handler as getCampaign } from './campaign-get';
import { handler as getCampaignStats } from './campaign-stats';
import { handler as getContent } from './content-get';
import { handler as getJob } from './job-get';
import { handler as getLessons } from './lessons-get';
import { handler as getProfile } from './profile-get';
import { handler as getProfileCompletion } from './profile-completion';
import { handler as getSchedule } from './schedule-get';
import { handler as listCampaigns } from './campaign-list';
import { handler as listNotifications } from './notification-list';
import { handler as regenerateContent } from './content-regenerate';
import { handler as startCampaign } from './campaign-start';
import { handler as updateCampaignOnboarding } from './campaign-onboarding';
import { handler as updateContent } from './content-update';

type RouteHandler = (event: unknown, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The function of each route a tool calls: a tool call runs that route's own Middy chain in this
 * process (scope, tenant, validation, rate limit, idempotency, quotas), without an HTTP round trip.
 * The only handler that imports others (docs/architecture.md). Static imports: esbuild's single-file
 * bundle breaks on lazy `import()` here (zod's classes used before their lazy module initialised).
 */
export const ROUTE_HANDLERS: Record<McpRouteId, unknown> = {
  ApproveLessons: approveLessons,
  CompleteCampaignOnboarding: completeCampaignOnboarding,
  ConfirmDay: confirmDay,
  CreateCampaign: createCampaign,
  CreateOnboarding: createOnboarding,
  EstimateCampaign: estimateCampaign,
  GetCampaign: getCampaign,
  GetCampaignStats: getCampaignStats,
  GetContent: getContent,
  GetJob: getJob,
  GetLessons: getLessons,
  GetProfile: getProfile,
  GetProfileCompletion: getProfileCompletion,
  GetSchedule: getSchedule,
  ListCampaigns: listCampaigns,
  ListNotifications: listNotifications,
  RegenerateContent: regenerateContent,
  StartCampaign: startCampaign,
  UpdateCampaignOnboarding: updateCampaignOnboarding,
  UpdateContent: updateContent,
};

const config = readConfig(['TABLE_NAME', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URL', 'APP_VERSION']);
const authenticate = bearerAuthenticator(config);

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) =>
  new RawReply({ statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) });

/** POST /mcp: the caller authenticated like the API (a Clerk JWT or an API key), then one stateless MCP exchange. GET /mcp: 405. */
export const handler = httpRoute('McpServer', async ({ event, context }) => {
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
    return (ROUTE_HANDLERS[route.id as McpRouteId] as RouteHandler)(toolEvent(route, input, caller, event, ++calls), context);
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
