import { jsonRpcErrorSchema } from '../../schemas/mcp';
import type { RouteDef } from './route';

/**
 * What every tool of the MCP server may reach: the union of the `access` of the routes it
 * dispatches to (the routes with an `mcp` field), which run in its function. A unit test keeps
 * it a superset of theirs.
 */
const TOOL_ROUTES_ACCESS = {
  table: 'readwrite',
  bucket: 'read',
  startWorkflow: true,
  estimates: true,
  invokeWorker: 'regenerate',
  // confirm_post evaluates the goal's pacing, which may emit campaign.behind.
  emitEvents: true,
  jwtIssuer: true,
} as const;

/** The remote MCP server (Streamable HTTP, stateless, JSON responses) and how an assistant finds where to sign in. */
export const mcpRoutes = [
  {
    id: 'McpServer',
    method: 'POST',
    path: '/mcp',
    entry: 'functions/api/mcp.ts',
    auth: 'bearer',
    summary:
      'Model Context Protocol server (Streamable HTTP, stateless, JSON responses): the tools, resources and prompts of the API for AI assistants; a tool call counts as one request',
    tag: 'mcp',
    response: {
      status: 200,
      raw: 'application/json',
      protocol: [
        { status: 202, description: 'Only notifications or responses were sent: accepted, no body' },
        {
          status: 400,
          description:
            'JSON-RPC error: the body is not JSON (-32700) or not a JSON-RPC message (-32700), a batch is too large or holds an initialize among other messages (-32600), MCP-Protocol-Version is not supported (-32000)',
          body: jsonRpcErrorSchema,
        },
        {
          status: 406,
          description: 'JSON-RPC error -32000: the Accept header must list both application/json and text/event-stream',
          body: jsonRpcErrorSchema,
        },
        { status: 415, description: 'JSON-RPC error -32000: Content-Type must be application/json', body: jsonRpcErrorSchema },
      ],
    },
    access: TOOL_ROUTES_ACCESS,
  },
  {
    id: 'McpServerGet',
    method: 'GET',
    path: '/mcp',
    entry: 'functions/api/mcp.ts',
    auth: 'public',
    summary: 'Answers 405: a stateless server opens no event stream (API Gateway HTTP APIs and Lambda cannot stream SSE)',
    tag: 'mcp',
    response: { status: 405, raw: 'application/json' },
    errors: ['METHOD_NOT_ALLOWED'],
    access: { table: 'none', bucket: 'none' },
  },
  {
    id: 'OAuthProtectedResource',
    method: 'GET',
    path: '/.well-known/oauth-protected-resource',
    entry: 'functions/api/oauth-protected-resource.ts',
    auth: 'public',
    summary: 'OAuth 2.0 protected resource metadata (RFC 9728): this API as the resource and Clerk as its authorization server',
    tag: 'mcp',
    response: { status: 200, raw: 'application/json' },
    access: { table: 'none', bucket: 'none', jwtIssuer: true },
  },
] as const satisfies readonly RouteDef[];
