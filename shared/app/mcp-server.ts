import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mcpTools, toolNamed, toolResult, toolRoute, type McpRouteId, type McpToolRoute } from '../http/mcp-tools';

/** Runs one route's function in-process for the caller (functions/api/mcp.ts) and returns its HTTP answer. */
export type Dispatch = (route: McpToolRoute, input: Record<string, unknown>) => Promise<APIGatewayProxyStructuredResultV2>;

const INSTRUCTIONS =
  "Crescendo plans a creator's content campaign with AI agents. Typical flow: get_profile (create_profile if missing), create_campaign, " +
  'set_campaign_onboarding, complete_campaign_onboarding, estimate_campaign (show the cost), start_campaign, poll get_campaign until ' +
  'in_progress, get_schedule, then confirm_post as posts go out. Errors carry a stable code (e.g. CAMPAIGN_NOT_FOUND, INSUFFICIENT_SCOPE).';

/**
 * The SDK's `Server` validates with this only the answers to its own elicitation requests, and
 * this server sends none (a tool's input is validated by its route's zod schemas, as over HTTP).
 * Given it, the `Server` does not build its default, Ajv, which the Lambda bundles leave out
 * (infra/stubs/ajv.ts).
 */
const NO_ELICITATION: jsonSchemaValidator = {
  getValidator: () => {
    throw new Error('This MCP server sends no elicitation requests, so it validates no answers to them');
  },
};

const RESOURCES = {
  profile: { uri: 'crescendo://profile', name: 'profile', title: "The creator's profile", mimeType: 'application/json' },
  schedule: {
    uriTemplate: 'crescendo://campaigns/{id}/schedule',
    name: 'campaign-schedule',
    title: "A campaign's posting schedule",
    mimeType: 'application/json',
  },
} as const;

const SCHEDULE_URI = /^crescendo:\/\/campaigns\/([^/]+)\/schedule$/;

const PROMPTS = [
  {
    name: 'plan_launch_campaign',
    title: 'Plan a campaign for my next launch',
    description: 'Turns a launch (product, course, video, event) into a Crescendo campaign, with its cost shown before anything is spent',
    arguments: [
      { name: 'launch', description: 'What is launching, and when', required: true },
      { name: 'platforms', description: 'Platforms to post on (default: ask me)', required: false },
    ],
  },
  {
    name: 'last_campaign_lessons',
    title: 'What did my last campaign teach me',
    description: "Reads the creator's most recent completed campaign: its numbers and its lessons, and what to do differently next time",
    arguments: [],
  },
] as const;

function promptText(name: string, args: Record<string, string>): string {
  if (name === 'plan_launch_campaign') {
    return [
      `Plan a Crescendo content campaign for my next launch: ${args.launch}.`,
      args.platforms ? `Platforms: ${args.platforms}.` : 'Ask me which platforms to post on if you cannot tell from my profile.',
      'Read my profile first (get_profile, get_profile_completion) and any approved lessons of earlier campaigns (list_campaigns with status completed, get_lessons).',
      'Then create_campaign, set_campaign_onboarding (goal tied to the launch date, duration, start date, platforms) and complete_campaign_onboarding.',
      'Call estimate_campaign and show me the cost and limits; call start_campaign only after I say yes, with an idempotencyKey.',
      'Then poll get_campaign until it is in_progress and show me the schedule (get_schedule) day by day.',
    ].join('\n');
  }
  return [
    'What did my last campaign teach me?',
    'Find my most recent completed campaign (list_campaigns with status completed; if there is none, say so and look at the latest in_progress one).',
    'Read its numbers (get_campaign_stats) and its lessons (get_lessons). Summarise what worked, what did not and three concrete changes for the next campaign.',
    'If the lessons are not approved yet, offer to approve them (approve_lessons) so the next campaign learns from them.',
  ].join('\n');
}

function readJson(response: APIGatewayProxyStructuredResultV2): unknown {
  try {
    return JSON.parse(response.body ?? '');
  } catch {
    return undefined;
  }
}

/**
 * A resource read is a route call like a tool's: the route's answer, or the API's error code as a
 * JSON-RPC error (its `data` carries the API's `{ error }`).
 */
async function readThroughRoute(dispatch: Dispatch, uri: string, id: McpRouteId, input: Record<string, unknown>) {
  const response = await dispatch(await toolRoute(id), input);
  const body = readJson(response) as { error?: { code: string; message: string } } | undefined;
  if ((response.statusCode ?? 200) >= 400) {
    throw new McpError(ErrorCode.InvalidParams, `${body?.error?.code ?? 'ERROR'}: ${body?.error?.message ?? 'the read failed'}`, body);
  }
  return { contents: [{ uri, mimeType: 'application/json', text: response.body ?? '' }] };
}

/**
 * The MCP server of one request (stateless: a new one per request, any instance serves any
 * request). Tools come from the route table (generated: shared/http/mcp-tools.gen.ts); resources and
 * prompts are read through the same routes.
 */
export function createMcpServer(version: string, dispatch: Dispatch): Server {
  const server = new Server(
    { name: 'crescendo', title: 'Crescendo', version },
    { capabilities: { tools: {}, resources: {}, prompts: {} }, instructions: INSTRUCTIONS, jsonSchemaValidator: NO_ELICITATION },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: (await mcpTools()).map(({ tool }) => tool) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const spec = await toolNamed(request.params.name);
    if (!spec) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${request.params.name}`);
    return toolResult(await dispatch(spec.route, request.params.arguments ?? {}));
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [RESOURCES.profile] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [RESOURCES.schedule] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    if (uri === RESOURCES.profile.uri) return readThroughRoute(dispatch, uri, 'GetProfile', {});
    const campaignId = SCHEDULE_URI.exec(uri)?.[1];
    if (campaignId) return readThroughRoute(dispatch, uri, 'GetSchedule', { id: decodeURIComponent(campaignId) });
    throw new McpError(ErrorCode.InvalidParams, `Unknown resource ${uri}`);
  });
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [...PROMPTS] }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = PROMPTS.find((p) => p.name === request.params.name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt ${request.params.name}`);
    const args = request.params.arguments ?? {};
    const missing = prompt.arguments.filter((a) => a.required && !args[a.name]).map((a) => a.name);
    if (missing.length > 0) throw new McpError(ErrorCode.InvalidParams, `Missing argument ${missing.join(', ')}`);
    return {
      description: prompt.description,
      messages: [{ role: 'user' as const, content: { type: 'text' as const, text: promptText(prompt.name, args) } }],
    };
  });
  return server;
}
