import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { keys } from '../../shared/db/keys';
import { jsonReply, startFakeGemini, type FakeGemini } from '../support/fake-gemini';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

/**
 * Bring your own Gemini key on the real local stack: the platform itself has no Gemini key (the
 * offline default); the writer's creator stores theirs, and that creator's regeneration runs on
 * Gemini (the fake server) with it, metered apart from the LLM budget.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let gemini: FakeGemini;
let db: DynamoDBDocumentClient;
let alice: string;
let campaignId: string;
let post: { day: number; platform: string };

const CREATOR_KEY = 'AIzaSyAliceOwnGeminiKey-0000000000000K3Y9';
const REFUSED_KEY = 'AIzaSyAliceMistypedKey-00000000000000BAD';
const FLASH = 'gemini-2.5-flash';

beforeAll(async () => {
  gemini = await startFakeGemini();
  // The handlers run in this process: the SDK's base URL points every Gemini request at the fake.
  vi.stubEnv('GOOGLE_GEMINI_BASE_URL', gemini.baseUrl);
  vi.stubEnv('LLM_RETRY_BASE_MS', '1');
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );
  const creator = await fixtures.creator('byok-alice');
  alice = creator.token;
  ({ campaignId } = await creator.campaign({ name: 'BYOK week' }).generated());
  [post] = (await api('GET', `/campaigns/${campaignId}/content?limit=1`, { token: alice })).body.data;
  // Generated offline: the platform has no key, and nothing reached Gemini.
  expect(gemini.requests).toHaveLength(0);
}, 90_000);

afterAll(async () => {
  await stack?.dispose();
  await gemini?.close();
  vi.unstubAllEnvs();
});

async function regenerate(idempotencyKey: string) {
  const started = await api('POST', `/campaigns/${campaignId}/content/${post.day}/${post.platform}/regenerate`, {
    token: alice,
    body: { instructions: 'Lead with a number.' },
    headers: { 'idempotency-key': idempotencyKey },
  });
  expect(started.status).toBe(202);
  const job = await pollUntil(
    () => api('GET', `/jobs/${started.body.data.jobId}`, { token: alice }),
    (res) => ['succeeded', 'failed'].includes(res.body.data?.status),
    'the regeneration',
  );
  expect(job.body.data.status).toBe('succeeded');
  return job.body.data as { jobId: string; cost: Record<string, number> };
}

const usage = async () => (await api('GET', '/account', { token: alice })).body.data.usage as Record<string, number>;

describe("a creator's own Gemini key", () => {
  it('refuses a key Gemini refuses with 422 AI_KEY_INVALID and stores nothing', async () => {
    gemini.rejectKey(REFUSED_KEY);
    const res = await api('PUT', '/account/ai-key', { token: alice, body: { apiKey: REFUSED_KEY } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('AI_KEY_INVALID');
    expect(gemini.metadataRequests.map((r) => r.headers['x-goog-api-key'])).toEqual([REFUSED_KEY]);
    expect((await api('GET', '/account/ai-key', { token: alice })).status).toBe(404);
    expect((await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.aiKey('byok-alice') }))).Item).toBeUndefined();
  });

  it("routes the writer's and the critic's calls to Gemini with that key, metered apart from the LLM budget", async () => {
    const stored = await api('PUT', '/account/ai-key', { token: alice, body: { apiKey: CREATOR_KEY } });
    expect(stored.status).toBe(200);
    expect(stored.body.data).toEqual({ last4: 'K3Y9', addedAt: expect.any(String) });
    // Checked with one request before it was stored.
    expect(gemini.metadataRequests.at(-1)).toMatchObject({ model: FLASH, headers: { 'x-goog-api-key': CREATOR_KEY } });
    const item = (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.aiKey('byok-alice') }))).Item!;
    expect(JSON.stringify(item)).not.toContain(CREATOR_KEY);
    expect((await api('GET', '/account', { token: alice })).body.data.ownAiKey).toBe(true);

    const before = await usage();
    gemini.script(
      FLASH,
      jsonReply(
        {
          posts: [
            {
              day: post.day,
              platform: post.platform,
              title: '3 budgeting numbers every student needs',
              post: '3 numbers decide whether your month works. Here they are.',
              seoTags: ['budgeting', 'students'],
              cta: 'Which number surprised you?',
              thumbnailPrompt: 'A calculator with three glowing numbers',
            },
          ],
        },
        { promptTokenCount: 900, candidatesTokenCount: 300 },
      ),
      jsonReply(
        { reviews: [{ day: post.day, platform: post.platform, score: 8, reasons: ['Strong numeric hook'] }] },
        { promptTokenCount: 500, candidatesTokenCount: 40 },
      ),
    );
    const job = await regenerate('byok-1');

    expect(gemini.unused()).toBe(0);
    expect(gemini.requests.map((r) => [r.model, r.headers['x-goog-api-key']])).toEqual([
      [FLASH, CREATOR_KEY],
      [FLASH, CREATOR_KEY],
    ]);
    const writer = (
      await db.send(
        new GetCommand({ TableName: stack.tableName, Key: keys.agentOutput('byok-alice', campaignId, `~regen#${job.jobId}#write`) }),
      )
    ).Item!;
    expect(writer).toMatchObject({ model: FLASH, keySource: 'creator', tokensIn: 900, tokensOut: 300 });
    const content = (await api('GET', `/campaigns/${campaignId}/content/${post.day}/${post.platform}`, { token: alice })).body.data;
    expect(content.title).toBe('3 budgeting numbers every student needs');

    expect(job.cost).toMatchObject({ llmCalls: 0, costMicroUsd: 0, byokLlmCalls: 2, byokTokensIn: 1400, byokTokensOut: 340 });
    const after = await usage();
    expect(after).toMatchObject({
      llmCalls: before.llmCalls,
      tokensIn: before.tokensIn,
      costMicroUsd: before.costMicroUsd,
      byokLlmCalls: before.byokLlmCalls + 2,
      byokTokensIn: before.byokTokensIn + 1400,
      regenerations: before.regenerations + 1,
    });

    const stats = (await api('GET', `/campaigns/${campaignId}/stats`, { token: alice })).body.data;
    expect(stats.llm.byokCalls).toBe(2);

    const shown = (await api('GET', '/account/ai-key', { token: alice })).body.data;
    expect(shown).toEqual({ last4: 'K3Y9', addedAt: stored.body.data.addedAt, lastUsedAt: expect.any(String) });
  });

  it('exports the key item without the sealed key', async () => {
    const started = await api('GET', '/account/export', { token: alice });
    const done = await pollUntil(
      () => api('GET', `/jobs/${started.body.data.jobId}`, { token: alice }),
      (res) => ['succeeded', 'failed'].includes(res.body.data?.status),
      'the export',
    );
    const zip = unzipSync(new Uint8Array(await (await fetch(done.body.data.result.downloadUrl)).arrayBuffer()));
    const text = strFromU8(zip['items.json']);
    const exported = (JSON.parse(text) as Record<string, unknown>[]).find((item) => item.SK === 'AIKEY');
    expect(exported).toMatchObject({ last4: 'K3Y9', addedAt: expect.any(String) });
    expect(exported).not.toHaveProperty('sealed');
    expect(text).not.toContain(CREATOR_KEY);
  });

  it('after DELETE the next call runs offline again and is counted on the platform', async () => {
    expect((await api('DELETE', '/account/ai-key', { token: alice })).status).toBe(204);
    expect((await api('GET', '/account/ai-key', { token: alice })).status).toBe(404);
    const before = await usage();
    const sent = gemini.requests.length;

    const job = await regenerate('byok-2');

    expect(gemini.requests).toHaveLength(sent);
    expect(job.cost).toMatchObject({ llmCalls: 2, byokLlmCalls: 0 });
    const after = await usage();
    expect(after.llmCalls).toBe(before.llmCalls + 2);
    expect(after.byokLlmCalls).toBe(before.byokLlmCalls);
  });
});
