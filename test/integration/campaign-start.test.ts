import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { startFixtures, type Api, type CampaignSetup, type Fixtures, type TestStack } from '../support/fixtures';
import type { ApiResponse } from '../support/local-stack';

const CONCURRENT = 20;

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let sfn: SFNClient;
let token: string;
/** A campaign in ready_to_start, built through the API like a creator would. */
let campaign: CampaignSetup;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  sfn = new SFNClient({});
  const starter = await fixtures.creator('starter', { profile: { userName: 'Sam', niche: 'cooking', timeZone: 'Europe/Berlin' } });
  token = starter.token;
  campaign = starter.campaign({
    name: 'Concurrency check',
    goal: { type: 'views', metric: 'YouTube views', target: 50_000 },
    platforms: [{ platform: 'youtube', postsPerWeek: 2 }],
    agentConfig: undefined,
  });
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.dispose();
});

const startMany = (campaignId: string, headers: Record<string, string> = {}) =>
  Promise.all(Array.from({ length: CONCURRENT }, () => api('POST', `/campaigns/${campaignId}/start`, { token, headers })));

const byStatus = (responses: ApiResponse[], status: number) => responses.filter((res) => res.status === status);

async function executionsOf(campaignId: string) {
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.stateMachineArn, maxResults: 1000 }));
  return executions.filter((execution) => execution.name?.startsWith(campaignId));
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let i = 0; i < 300; i++) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} still running`);
}

async function storedCampaign(campaignId: string) {
  const { Item } = await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: keys.campaign('starter', campaignId) }));
  return Item!;
}

describe('POST /campaigns/{id}/start with one Idempotency-Key, 20 at once', () => {
  let campaignId: string;
  let accepted: ApiResponse;

  it('starts exactly one execution; every 2xx body is the same, the others are 409 IN_PROGRESS', async () => {
    ({ campaignId } = await campaign.ready());
    const responses = await startMany(campaignId, { 'idempotency-key': `start-${campaignId}` });

    const successes = byStatus(responses, 202);
    const inProgress = byStatus(responses, 409);
    expect(successes.length + inProgress.length).toBe(CONCURRENT);
    expect(successes.length).toBeGreaterThanOrEqual(1);
    for (const res of inProgress) expect(res.body.error.code).toBe('IN_PROGRESS');
    for (const res of successes) expect(res.body).toEqual(successes[0].body);
    expect(successes.filter((res) => res.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    [accepted] = successes;

    const executions = await executionsOf(campaignId);
    expect(executions.map((execution) => execution.name)).toEqual([`${campaignId}-a1`]);
    expect(accepted.body.data.execution).toMatchObject({ name: `${campaignId}-a1`, arn: executions[0].executionArn, attempt: 1 });
    expect(accepted.body.data.campaign).toMatchObject({ campaignId, status: 'generating', attempt: 1, progress: { step: 'queued' } });
    expect(accepted.body.data.campaign).not.toHaveProperty('profileSnapshot');
  });

  it('replays the first response to a later request with the same key', async () => {
    const again = await api('POST', `/campaigns/${campaignId}/start`, { token, headers: { 'idempotency-key': `start-${campaignId}` } });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(accepted.body);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key on another campaign, starting nothing', async () => {
    const other = await campaign.ready();
    const res = await api('POST', `/campaigns/${other.campaignId}/start`, { token, headers: { 'idempotency-key': `start-${campaignId}` } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await storedCampaign(other.campaignId)).status).toBe('ready_to_start');
    expect(await executionsOf(other.campaignId)).toEqual([]);
  });

  it('gives the workflow the campaign ids, froze the profile, and the run finishes', async () => {
    const execution = await finished(accepted.body.data.execution.arn);
    expect(JSON.parse(execution.input!)).toEqual({ userId: 'starter', campaignId, attempt: 1 });
    expect(['SUCCEEDED', 'FAILED']).toContain(execution.status);
    expect(execution.stopDate).toBeInstanceOf(Date);
    const stored = await storedCampaign(campaignId);
    expect(stored.profileSnapshot).toMatchObject({ userId: 'starter', niche: 'cooking', timeZone: 'Europe/Berlin' });
    expect(stored.insights).toEqual([]);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const res = await api('POST', `/campaigns/${campaignId}/start`, { token, headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('header.idempotency-key');
  });
});

describe('POST /campaigns/{id}/start without a key, 20 at once', () => {
  it('one 202, nineteen 409 CAMPAIGN_STATE_CONFLICT, one version bump, one execution', async () => {
    const { campaignId, version } = await campaign.ready();
    const responses = await startMany(campaignId);

    const [accepted, ...rest] = [...byStatus(responses, 202), ...byStatus(responses, 409)];
    expect(byStatus(responses, 202)).toHaveLength(1);
    expect(rest).toHaveLength(CONCURRENT - 1);
    for (const res of rest)
      expect(res.body.error).toMatchObject({
        code: 'CAMPAIGN_STATE_CONFLICT',
        details: { currentStatus: expect.not.stringMatching('ready_to_start') },
      });
    expect(accepted.body.data.campaign).toMatchObject({ version: version + 1, attempt: 1 });
    expect((await storedCampaign(campaignId)).attempt).toBe(1);
    expect((await executionsOf(campaignId)).map((execution) => execution.name)).toEqual([`${campaignId}-a1`]);
  });
});

describe('POST /campaigns/{id}/retry', () => {
  it('starts attempt 2 of a failed campaign under a new name, on the same snapshot, without the failure', async () => {
    const { campaignId } = await campaign.ready();
    const started = await api('POST', `/campaigns/${campaignId}/start`, { token });
    expect(started.status).toBe(202);
    await finished(started.body.data.execution.arn);
    const snapshot = (await storedCampaign(campaignId)).profileSnapshot;
    // Whatever the workflow did, put the campaign where a failed run leaves it.
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.campaign('starter', campaignId),
        UpdateExpression: 'SET #status = :failed, failure = :failure',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':failed': 'failed',
          ':failure': { step: 'plan', code: 'PlanFailed', message: 'no plan', at: new Date().toISOString() },
        },
      }),
    );

    const retried = await api('POST', `/campaigns/${campaignId}/retry`, { token, headers: { 'idempotency-key': `retry-${campaignId}` } });
    expect(retried.status).toBe(202);
    expect(retried.body.data.execution).toMatchObject({ name: `${campaignId}-a2`, attempt: 2 });
    expect(retried.body.data.campaign).toMatchObject({ status: 'generating', attempt: 2 });
    expect(retried.body.data.campaign).not.toHaveProperty('failure');
    expect((await storedCampaign(campaignId)).profileSnapshot).toEqual(snapshot);
    const execution = await finished(retried.body.data.execution.arn);
    expect(JSON.parse(execution.input!)).toEqual({ userId: 'starter', campaignId, attempt: 2 });
    expect((await executionsOf(campaignId)).map((e) => e.name).sort()).toEqual([`${campaignId}-a1`, `${campaignId}-a2`]);

    const again = await api('POST', `/campaigns/${campaignId}/retry`, { token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CAMPAIGN_STATE_CONFLICT');
  });
});
