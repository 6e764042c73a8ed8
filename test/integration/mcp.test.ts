import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpRoutes } from '../../dev/generate-mcp-tools';
import { openApiValidator } from '../support/openapi-validator';
import { SAMPLE_CAMPAIGN, SAMPLE_PROFILE, startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
const open: Client[] = [];

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
}, 60_000);
afterAll(async () => {
  await Promise.all(open.map((client) => client.close()));
  await stack?.dispose();
});

/** The SDK's own client over Streamable HTTP, signed in with `token` (a Clerk JWT or an API key). */
async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'crescendo-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${stack.apiUrl}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  open.push(client);
  return client;
}

type ToolAnswer = { isError: boolean; json: any };

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  const result = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content: { type: string; text: string }[] };
  return { isError: result.isError === true, json: JSON.parse(result.content[0].text) };
}

async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const answer = await call(client, name, args);
  expect(answer.isError, `${name}: ${JSON.stringify(answer.json)}`).toBe(false);
  return answer.json.data;
}

describe('MCP server', () => {
  it('answers 401 with the protected resource metadata, which names the issuer; GET /mcp is 405', async () => {
    const refused = await fetch(`${stack.apiUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    const challenge = refused.headers.get('www-authenticate') ?? '';
    expect(challenge).toBe(`Bearer resource_metadata="${stack.apiUrl}/.well-known/oauth-protected-resource"`);
    expect((await refused.json()).error.code).toBe('UNAUTHORIZED');

    const metadata = await api('GET', '/.well-known/oauth-protected-resource');
    expect(metadata.status).toBe(200);
    expect(metadata.body.resource).toBe(stack.apiUrl);
    expect(metadata.body.authorization_servers).toHaveLength(1);
    expect(metadata.body.authorization_servers[0]).toMatch(/^https?:\/\//);

    const get = await api('GET', '/mcp', { token: await fixtures.token('mcp-nobody') });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('answers a notification 202 and the transport’s refusals as JSON-RPC errors, each as /openapi.json documents it', async () => {
    const token = await fixtures.token('mcp-transport');
    const validate = openApiValidator((await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as never);
    const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const requests: [number, Record<string, string>, string][] = [
      [202, json, initialized],
      [400, json, '{not json'],
      [406, { ...json, accept: 'application/json' }, initialized],
      [415, { ...json, 'content-type': 'text/plain' }, initialized],
    ];
    for (const [status, headers, body] of requests) {
      const url = `${stack.apiUrl}/mcp`;
      const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(validate('POST', url, { status, headers: response.headers, text }), text).toEqual([]);
      if (status !== 202) expect(JSON.parse(text)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: expect.any(Number) } });
    }
  });

  it('lists a tool per route the table marks, with its path, query and body as input; resources and prompts', async () => {
    const client = await connect(await fixtures.token('mcp-lister'));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(mcpRoutes.map((route) => route.mcp.tool).sort());
    const confirm = tools.find((tool) => tool.name === 'confirm_post')!;
    expect(confirm.inputSchema.required).toEqual(['id', 'body']);
    expect(Object.keys((confirm.inputSchema.properties as any).body.properties)).toContain('metrics');
    expect(Object.keys(tools.find((tool) => tool.name === 'start_campaign')!.inputSchema.properties!)).toEqual(['id', 'idempotencyKey']);

    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['crescendo://profile']);
    expect((await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)).toEqual([
      'crescendo://campaigns/{id}/schedule',
    ]);
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    expect(prompts).toEqual(['plan_launch_campaign', 'last_campaign_lessons']);
    const prompt = await client.getPrompt({ name: 'plan_launch_campaign', arguments: { launch: 'my budgeting course on 15 March' } });
    expect((prompt.messages[0].content as { text: string }).text).toContain('estimate_campaign');
  });

  it('runs onboard → campaign → estimate → start → poll → schedule → confirm through tools, each through its route', async () => {
    const client = await connect(await fixtures.token('mcp-alice'));
    expect((await call(client, 'get_profile')).json.error.code).toBe('PROFILE_NOT_FOUND');
    await ok(client, 'create_profile', { body: SAMPLE_PROFILE });
    expect((await ok(client, 'get_profile')).userName).toBe('Alice');

    const { name, ...brief } = SAMPLE_CAMPAIGN;
    const { campaignId } = await ok(client, 'create_campaign', { body: { name } });
    await ok(client, 'set_campaign_onboarding', { id: campaignId, body: brief });
    expect((await ok(client, 'complete_campaign_onboarding', { id: campaignId })).status).toBe('ready_to_start');

    const estimate = await ok(client, 'estimate_campaign', { id: campaignId });
    expect(estimate.costMicroUsd).toEqual(expect.any(Number));

    const started = await ok(client, 'start_campaign', { id: campaignId, idempotencyKey: 'mcp-start-1' });
    expect(started.campaign.status).toBe('generating');
    // The same key runs the start once: the replay answers the stored response.
    expect((await ok(client, 'start_campaign', { id: campaignId, idempotencyKey: 'mcp-start-1' })).campaign.status).toBe('generating');

    const generated = await pollUntil(
      () => ok(client, 'get_campaign', { id: campaignId }),
      (campaign) => campaign.status !== 'generating',
      'generation',
      90_000,
    );
    expect(generated.status).toBe('in_progress');

    const schedule = await ok(client, 'get_schedule', { id: campaignId });
    const [first] = schedule.days.flatMap((day: { posts: unknown[] }) => day.posts);
    expect(first.thumbnailUrl).toMatch(/^http/);
    const resource = await client.readResource({ uri: `crescendo://campaigns/${campaignId}/schedule` });
    // Thumbnail links are presigned at each read, so they differ by their signature and date only.
    const unsigned = (days: unknown) => JSON.parse(JSON.stringify(days).replace(/\?X-Amz-[^"]*/g, ''));
    expect(unsigned(JSON.parse((resource.contents[0] as { text: string }).text).data.days)).toEqual(unsigned(schedule.days));

    const confirmed = await ok(client, 'confirm_post', {
      id: campaignId,
      body: { day: first.day, platform: first.platform, posted: true, platformPostId: 'yt-1', metrics: { views: 120, likes: 9 } },
    });
    expect(confirmed.status).toBe('posted');
    expect((await ok(client, 'get_campaign_stats', { id: campaignId })).posts.posted).toBe(1);
  }, 120_000);

  it('a key without the scope gets INSUFFICIENT_SCOPE; another creator’s id answers CAMPAIGN_NOT_FOUND; a JWT-only tool refuses keys', async () => {
    const owner = await fixtures.creator('mcp-bob');
    const { campaignId: bobsCampaign } = await owner.campaign({ name: "Bob's" }).draft();
    const carol = await fixtures.creator('mcp-carol');
    const { campaignId: carolsCampaign } = await carol.campaign({ name: "Carol's" }).draft();
    const created = await api('POST', '/api-keys', { token: carol.token, body: { name: 'assistant', scopes: ['campaigns:read'] } });
    const client = await connect(created.body.data.key);

    expect((await ok(client, 'get_campaign', { id: carolsCampaign })).campaignId).toBe(carolsCampaign);
    const start = await call(client, 'start_campaign', { id: carolsCampaign });
    expect(start.isError).toBe(true);
    expect(start.json.error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { requiredScope: 'campaigns:write' } });
    expect((await call(client, 'get_campaign', { id: bobsCampaign })).json.error.code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await call(client, 'get_profile')).json.error.code).toBe('INSUFFICIENT_SCOPE');
    const invalid = await call(client, 'get_campaign', { id: 'not-a-uuid' });
    expect(invalid.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('a tool call counts as one request against the caller’s rate limit', async () => {
    const dave = await fixtures.creator('mcp-dave');
    const { campaignId } = await dave.campaign({ name: "Dave's" }).draft();
    const before = await api('GET', `/campaigns/${campaignId}`, { token: dave.token });
    const client = await connect(dave.token);
    await client.listTools();
    await ok(client, 'get_campaign', { id: campaignId });
    const after = await api('GET', `/campaigns/${campaignId}`, { token: dave.token });
    const remaining = (res: { headers: Headers }) => Number(res.headers.get('ratelimit-remaining'));
    // Listing tools is not counted, the tool call once, the second HTTP call once.
    expect(remaining(before) - remaining(after)).toBe(2);
  });
});
