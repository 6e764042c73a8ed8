import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let analyst: Creator;
let token: string;
const USER = 'analyst';

/** Creates, onboards and starts a campaign; resolves with its id once it is in_progress. */
const generatedCampaign = async () =>
  (
    await analyst
      .campaign({
        name: 'Analysis reuse week',
        goal: { type: 'followers', metric: 'YouTube subscribers', target: 3000 },
        platforms: [{ platform: 'youtube', postsPerWeek: 2 }],
        agentConfig: { tone: 'warm', language: 'en', critiqueBar: 0, maxCritiqueRounds: 0 },
      })
      .generated()
  ).campaignId;

const contextOutput = async (campaignId: string) =>
  (
    await dynamo.send(
      new GetCommand({ TableName: stack.tableName, Key: keys.agentOutput(USER, campaignId, 'context'), ConsistentRead: true }),
    )
  ).Item!;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  analyst = await fixtures.creator(USER, { profile: false });
  token = analyst.token;
}, 60_000);
afterAll(() => stack?.dispose());

describe('POST /profile/analyze', () => {
  it('is 404 PROFILE_NOT_FOUND before onboarding', async () => {
    const res = await api('POST', '/profile/analyze', { token });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('PROFILE_NOT_FOUND');
  });

  it('analyzes the profile as a job, keeps the result on it, and a campaign started then reuses it without an LLM call', async () => {
    await analyst.onboard({ userName: 'Ana', niche: 'home cooking on a budget' });

    const started = await api('POST', '/profile/analyze', { token, headers: { 'idempotency-key': 'analyze-1' } });
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({
      kind: 'analyze',
      status: 'queued',
      target: { profileVersion: 1 },
      progress: { step: 'queued', percent: 0 },
    });
    const { jobId } = started.body.data;
    const replayed = await api('POST', '/profile/analyze', { token, headers: { 'idempotency-key': 'analyze-1' } });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.data.jobId).toBe(jobId);

    const job = await pollUntil(
      () => api('GET', `/jobs/${jobId}`, { token }),
      (res) => ['succeeded', 'failed'].includes(res.body.data?.status),
      'the job to end',
    );
    expect(job.body.data).toMatchObject({
      kind: 'analyze',
      status: 'succeeded',
      progress: { step: 'done', percent: 100 },
      result: { version: 1 },
      cost: { llmCalls: 1 },
    });
    const analyzed = (await api('GET', '/profile', { token })).body.data;
    expect(analyzed.agentContext).toMatchObject({
      status: 'ready',
      model: 'offline',
      jobId,
      analysis: { positioning: expect.any(String), contentPillars: expect.any(Array) },
    });
    expect(analyzed.agentContext.updatedAt > analyzed.updatedAt).toBe(true);
    expect(analyzed.version).toBe(1); // keeping the analysis is not an edit of the profile

    // Newer than the profile: the campaign's Context task stores it as its output and calls nothing.
    const first = await generatedCampaign();
    const reused = await contextOutput(first);
    expect(reused.output).toEqual(analyzed.agentContext.analysis);
    expect(reused).not.toHaveProperty('llmCalls');

    // The profile changes: the next campaign runs the analyzer and keeps its result on the profile.
    expect((await api('PATCH', '/profile/phase2', { token, body: { selfTopics: ['pasta for a week', 'meal prep'] } })).status).toBe(200);
    const second = await generatedCampaign();
    const fresh = await contextOutput(second);
    expect(fresh).toMatchObject({ llmCalls: 1, model: 'offline' });
    const after = (await api('GET', '/profile', { token })).body.data;
    expect(after.agentContext).toMatchObject({ status: 'ready', analysis: fresh.output });
    expect(after.agentContext.updatedAt > after.updatedAt).toBe(true);
    expect(after.agentContext.jobId).toBeUndefined();
  });
});
