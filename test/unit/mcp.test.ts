import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMcpToolsSource, MCP_TOOLS_FILE, mcpRoutes } from '../../dev/generate-mcp-tools';
import type { AuthorizerContext } from '../../shared/http/identity';
import { toolEvent, toolResult, type McpRouteId, type McpToolRoute } from '../../shared/http/mcp-tools';
import { mcpTools } from '../../shared/http/mcp-tools.gen';
import { routeById, type RouteDef } from '../../shared/http/routes';
import { apiEvent } from '../support/api-event';

let mcp: typeof import('../../functions/api/mcp');

beforeAll(async () => {
  Object.assign(process.env, {
    JWT_ISSUER: 'https://clerk.example.test',
    JWT_AUDIENCE: 'crescendo-api',
    JWT_JWKS_URL: 'https://clerk.example.test/.well-known/jwks.json',
  });
  mcp = await import('../../functions/api/mcp');
});

const caller: AuthorizerContext = { userId: 'user-1', authType: 'apiKey', scopes: 'campaigns:read', keyId: 'k1', azp: '' };
const LEVELS = { none: 0, read: 1, readwrite: 2 } as const;
const spec = (id: McpRouteId) => mcpTools.find(({ route }) => route.id === id)!;
const toolRoute = (id: McpRouteId): McpToolRoute => spec(id).route;

describe('MCP tools from the route table', () => {
  it("are the 20 routes issue 22 names and issue 18's get_campaign_pacing, estimate_replan, replan_campaign and get_replan, each with a unique snake_case name and a description for a model that says what it costs", () => {
    const names = mcpRoutes.map((route) => route.mcp.tool);
    expect(names).toHaveLength(24);
    expect(names).toEqual(expect.arrayContaining(['get_campaign_pacing', 'estimate_replan', 'replan_campaign', 'get_replan']));
    expect(new Set(names).size).toBe(names.length);
    for (const route of mcpRoutes) {
      expect(route.mcp.tool).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(route.mcp.description.length, route.id).toBeGreaterThan(80);
      expect(route.mcp.description, route.id).toMatch(/Free|spends/);
    }
  });

  it('are listed from what `npm run client:generate` writes from the current route table (run it after changing a tool route or its schemas)', async () => {
    expect(
      readFileSync(MCP_TOOLS_FILE, 'utf8') === (await generateMcpToolsSource()),
      'shared/http/mcp-tools.gen.ts drifted: npm run client:generate',
    ).toBe(true);
    expect(mcpTools.map(({ tool }) => tool.name)).toEqual(mcpRoutes.map((route) => route.mcp.tool));
  });

  it('each loads the function of its own route on its first call, once: a tool call runs that route’s Middy chain', async () => {
    expect(Object.keys(mcp.ROUTE_MODULES).sort()).toEqual(mcpRoutes.map((route) => route.id).sort());
    for (const route of mcpRoutes) {
      const own = (await import(join(process.cwd(), route.entry))) as { handler: unknown };
      const id = route.id as McpRouteId;
      expect(await mcp.routeHandler(id), route.id).toBe(own.handler);
      expect(mcp.routeHandler(id), route.id).toBe(mcp.routeHandler(id));
    }
  });

  it('run in a function whose access covers every tool route’s', () => {
    const server = routeById('McpServer').access as RouteDef['access'];
    for (const { id, access } of mcpRoutes) {
      expect(LEVELS[server.table], id).toBeGreaterThanOrEqual(LEVELS[access.table]);
      expect(LEVELS[server.bucket], id).toBeGreaterThanOrEqual(LEVELS[access.bucket]);
      for (const flag of ['startWorkflow', 'emitEvents', 'estimates', 'signUploads', 'clerkWebhookSecret'] as const) {
        if (access[flag]) expect(server[flag], `${id} ${flag}`).toBe(true);
      }
      if (access.invokeWorker) expect(server.invokeWorker, id).toBe(access.invokeWorker);
      if (access.creatorAiKeys) expect(server.creatorAiKeys, id).toBe(access.creatorAiKeys);
    }
  });

  it('take path and query at the top level, the body under `body`, honoured headers as arguments', () => {
    const tool = (id: McpRouteId) => spec(id).tool;
    expect(tool('ConfirmDay').inputSchema.required).toEqual(['id', 'body']);
    expect(tool('ConfirmDay').annotations.readOnlyHint).toBe(false);
    expect(Object.keys(tool('ListNotifications').inputSchema.properties)).toEqual(['limit', 'cursor', 'unread']);
    expect(tool('ListNotifications').inputSchema.required).toBeUndefined();
    expect(Object.keys(tool('StartCampaign').inputSchema.properties)).toEqual(['id', 'idempotencyKey']);
    expect(Object.keys(tool('ApproveLessons').inputSchema.properties)).toEqual(['id', 'body', 'ifMatch']);
    // Standalone: no reference into the OpenAPI document's components.
    expect(JSON.stringify(tool('UpdateCampaignOnboarding').inputSchema)).not.toContain('$ref');
  });

  it('build the event the route’s function receives: path, query, body and headers as HTTP, the caller as the bearer authorizer’s context', () => {
    const origin = apiEvent({ method: 'POST', path: '/mcp', headers: { host: 'api.example.test' } });
    const content = toolEvent(
      toolRoute('RegenerateContent'),
      { id: 'c-1', day: 3, platform: 'youtube', body: { instructions: 'shorter' }, idempotencyKey: 'k-1' },
      caller,
      origin,
      2,
    );
    expect(content).toMatchObject({
      routeKey: 'POST /campaigns/{id}/content/{day}/{platform}/regenerate',
      rawPath: '/campaigns/c-1/content/3/youtube/regenerate',
      pathParameters: { id: 'c-1', day: '3', platform: 'youtube' },
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1', host: 'api.example.test' },
      body: JSON.stringify({ instructions: 'shorter' }),
      requestContext: { requestId: 'req-1-2', authorizer: { lambda: caller }, http: { method: 'POST' } },
    });
    const list = toolEvent(toolRoute('ListNotifications'), { limit: 5, unread: 'true' }, caller, origin, 1);
    expect(list.queryStringParameters).toEqual({ limit: '5', unread: 'true' });
    expect(list.body).toBeUndefined();
  });

  it('answer the route’s JSON, and its error envelope as a tool error', () => {
    const body = JSON.stringify({ error: { code: 'CAMPAIGN_NOT_FOUND', message: 'No such campaign' }, meta: { requestId: 'r' } });
    expect(toolResult({ statusCode: 404, body })).toEqual({ content: [{ type: 'text', text: body }], isError: true });
    expect(toolResult({ statusCode: 200, body: '{"data":1}' })).toEqual({ content: [{ type: 'text', text: '{"data":1}' }] });
  });
});
