import type { HttpMethod, RequestHeader } from './routes/route';
import type { routes } from './routes';

type JsonSchema = Record<string, unknown>;

/** The routes the MCP server exposes as tools: those with an `mcp` field in the route table. */
export type McpRouteId = Extract<(typeof routes)[number], { mcp: object }>['id'];

/** A tool as `tools/list` answers it. */
export interface McpTool {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, JsonSchema>; required?: string[]; additionalProperties: false };
  annotations: { title: string; readOnlyHint: boolean; idempotentHint: boolean; openWorldHint: false };
}

/** What a tool call needs of its route to build the event the route's function receives. */
export interface McpToolRoute {
  id: McpRouteId;
  method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{id}`. */
  path: string;
  /** The query parameters' names (the tool's top-level arguments of the same names). */
  query: readonly string[];
  /** The request headers the tool takes as arguments. */
  headers: readonly RequestHeader[];
  /** Whether the route takes a JSON body (the tool's `body` argument). */
  body: boolean;
}

export interface McpToolSpec {
  tool: McpTool;
  route: McpToolRoute;
}
