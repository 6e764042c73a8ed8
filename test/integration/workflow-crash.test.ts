import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateDevKeys, signDevToken } from '../../dev/jwt';
import { repoRoot } from '../../dev/lambda-runtime';
import type { RunningStack } from '../../dev/state';
import { creatorOf } from '../support/fixtures';
import { apiClient } from '../support/local-stack';
import { pollUntil } from '../support/poll';

// `npm start` in a child process (its own process group, so DynamoDB Local's JVM dies with it),
// killed with SIGKILL mid-generation and started again on the same data folder.
const dataDir = mkdtempSync(join(tmpdir(), 'crescendo-crash-'));
let child: ChildProcess | undefined;

async function startStack(env: Record<string, string>): Promise<RunningStack> {
  const stateFile = join(dataDir, 'local-stack.json');
  rmSync(stateFile, { force: true });
  child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['dev/start.ts'], {
    cwd: repoRoot,
    env: { ...process.env, CRESCENDO_DATA_DIR: dataDir, PORT: '0', ...env },
    detached: true,
    stdio: 'ignore',
  });
  // start.ts records the running stack once it serves (tsx runs it in a process of its own, so another pid).
  const state = await pollUntil(
    async () => (existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as RunningStack) : undefined),
    (running) => running !== undefined,
    'the local stack to start',
    60_000,
  );
  return state!;
}

function killStack(signal: NodeJS.Signals) {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, signal);
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  return exited;
}

afterAll(async () => {
  if (child?.exitCode === null) await killStack('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a crash of the local stack mid-generation', () => {
  let token: string;
  beforeAll(async () => {
    token = await signDevToken(await loadOrCreateDevKeys(dataDir), 'crashed-creator');
  });

  it('fails the campaign at the next start; its retry completes with every planned post once, counted once, each attempt paying its own tokens', async () => {
    // Slow agents (a sixteenth of the latency model's time: about 0.3–0.8 s a call) give the kill a wide window while the weeks are written.
    let stack = await startStack({ OFFLINE_LLM_TIME_SCALE: '0.06' });
    let api = apiClient(stack.apiUrl);
    const creator = creatorOf(api, 'crashed-creator', token);
    await creator.onboard();
    const { campaignId } = await creator
      .campaign({
        name: 'Crash test',
        goal: { type: 'views', metric: 'views', target: 10_000 },
        durationDays: 14,
        startDate: '2026-12-14',
        platforms: [
          { platform: 'instagram', postsPerWeek: 3 },
          { platform: 'youtube', postsPerWeek: 2 },
        ],
        agentConfig: undefined,
      })
      .started();
    const generating = await pollUntil(
      async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data,
      (campaign) => campaign.progress?.postsTotal > 0,
      'the posts to be planned',
      30_000,
    );
    expect(generating.status).toBe('generating');
    expect(Date.parse(generating.execution.leaseUntil)).toBeGreaterThan(Date.parse(generating.execution.startedAt));
    await killStack('SIGKILL');

    const restartedAt = Date.now();
    stack = await startStack({});
    api = apiClient(stack.apiUrl);
    const failed = await pollUntil(
      async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data,
      (campaign) => campaign.status !== 'generating',
      'the interrupted campaign to fail',
      60_000,
    );
    expect(Date.now() - restartedAt).toBeLessThan(60_000);
    expect(failed).toMatchObject({ status: 'failed', attempt: 1, failure: { step: 'workflow', code: 'EXECUTION_ABORTED' } });

    expect((await api('POST', `/campaigns/${campaignId}/retry`, { token })).status).toBe(202);
    const done = await pollUntil(
      async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data,
      (campaign) => campaign.status !== 'generating',
      'the retry to finish',
      60_000,
    );
    expect(done).toMatchObject({ status: 'in_progress', attempt: 2 });

    const content = (await api('GET', `/campaigns/${campaignId}/content?limit=100`, { token })).body.data as {
      day: number;
      platform: string;
      title?: string;
    }[];
    const keys = content.map((item) => `${item.day}-${item.platform}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Two weeks at 3 + 2 posts a week.
    expect(keys).toHaveLength(10);
    expect(done.progress.postsTotal).toBe(10);
    expect(content.every((item) => item.title)).toBe(true);

    const account = (await api('GET', '/account', { token })).body.data;
    expect(account.usage.campaignsStarted).toBe(1);

    // Every stored agent output names the attempt that paid for it; the campaign's tokens are theirs, once.
    const dynamo = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: stack.env.AWS_ENDPOINT_URL_DYNAMODB,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    );
    const { Items = [] } = await dynamo.send(
      new QueryCommand({
        TableName: stack.env.TABLE_NAME,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': 'USER#crashed-creator', ':prefix': `CAMP#${campaignId}` },
      }),
    );
    const outputs = Items.filter((item) => item.inputHash !== undefined);
    expect(outputs.length).toBeGreaterThan(0);
    expect(new Set(outputs.map((item) => item.attempt))).toEqual(new Set([1, 2]));
    const stats = (await api('GET', `/campaigns/${campaignId}/stats`, { token })).body.data;
    const sum = (field: string) => outputs.reduce((total, item) => total + Number(item[field] ?? 0), 0);
    expect(stats.llm.tokensIn).toBe(sum('tokensIn'));
    expect(account.usage.tokensIn).toBe(stats.llm.tokensIn);
  }, 150_000);
});
