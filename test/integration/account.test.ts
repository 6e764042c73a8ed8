import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { periodOf, plans } from '../../shared/domain/plans';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let carol: string;
let admin: string;
const month = () => periodOf(new Date()).month;

const profile = { userName: 'Carol', creatorType: 'educator', niche: 'personal finance', targetAudienceNiche: 'students', timeZone: 'Europe/Paris' };
const week = {
  name: 'One week',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 5000, baseline: 1200 },
  durationDays: 7,
  startDate: '2026-12-01',
  platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 7, maxCritiqueRounds: 1 },
};

async function readyCampaign(token: string, onboarding: object = week): Promise<string> {
  const created = await api('POST', '/campaigns', { token, body: {} });
  const id = created.body.data.campaignId;
  expect((await api('PATCH', `/campaigns/${id}/onboarding`, { token, body: onboarding })).status).toBe(200);
  expect((await api('POST', `/campaigns/${id}/complete-onboarding`, { token })).status).toBe(200);
  return id;
}

const item = async (key: { PK: string; SK: string }) => (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }))).Item;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.apiUrl);
  carol = await stack.token('carol', { claims: { email: 'carol@example.com' } });
  admin = await stack.token('ops-admin', { claims: { role: 'admin' } });
}, 60_000);
afterAll(() => stack?.dispose());

describe('plans and the account', () => {
  it('lists the plans publicly', async () => {
    const res = await api('GET', '/plans');
    expect(res.status).toBe(200);
    expect(res.body.data.map((plan: { tier: string }) => plan.tier)).toEqual(['free', 'pro', 'enterprise']);
    expect(res.body.data[0].limits).toEqual(plans.free);
  });

  it('shows a new user the free tier with zero usage, and creates the user item on the way', async () => {
    expect(await item(keys.user('carol'))).toBeUndefined();
    const res = await api('GET', '/account', { token: carol });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ userId: 'carol', tier: 'free', period: { month: month() }, limits: plans.free, usage: { campaignsStarted: 0, costMicroUsd: 0, activeCampaigns: 0 } });
    expect(res.body.data.quotas).toContainEqual({ limit: 'campaignsPerMonth', used: 0, max: plans.free.campaignsPerMonth, resetsAt: periodOf(new Date()).resetsAt });
    expect(await item(keys.user('carol'))).toMatchObject({ userId: 'carol', tier: 'free' });
  });

  it('lets only an admin token change a plan; a role in the body means nothing; unknown tiers are 400', async () => {
    const self = await api('PATCH', '/account/plan', { token: carol, body: { tier: 'enterprise' } });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('FORBIDDEN');
    const forged = await api('PATCH', '/account/plan', { token: carol, body: { tier: 'enterprise', role: 'admin' } });
    expect(forged.status).toBe(400);
    const wrongTier = await api('PATCH', '/account/plan', { token: admin, body: { tier: 'platinum', userId: 'carol' } });
    expect(wrongTier.status).toBe(400);
    expect(wrongTier.body.error.details.issues[0].path).toBe('body.tier');
    expect((await item(keys.user('carol')))?.tier).toBe('free');

    const changed = await api('PATCH', '/account/plan', { token: admin, body: { tier: 'pro', userId: 'dave' } });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ userId: 'dave', tier: 'pro' });
    const dave = await stack.token('dave');
    expect((await api('GET', '/account', { token: dave })).body.data).toMatchObject({ tier: 'pro', limits: plans.pro });
  });
});

describe('monthly metering', () => {
  it("adds a campaign's LLM calls, tokens and images to the creator's month, once", async () => {
    expect((await api('POST', '/onboarding', { token: carol, body: profile })).status).toBe(201);
    const id = await readyCampaign(carol);
    expect((await api('POST', `/campaigns/${id}/start`, { token: carol })).status).toBe(202);
    await pollUntil(() => api('GET', `/campaigns/${id}`, { token: carol }), (res) => res.body.data?.status === 'in_progress', 'in_progress');
    const stats = (await api('GET', `/campaigns/${id}/stats`, { token: carol })).body.data;
    const usage = await item(keys.usage('carol', month()));
    expect(stats.llm.calls).toBeGreaterThan(0);
    expect(usage).toMatchObject({ llmCalls: stats.llm.calls, tokensIn: stats.llm.tokensIn, tokensOut: stats.llm.tokensOut, images: stats.images });
    const account = (await api('GET', '/account', { token: carol })).body.data;
    expect(account.usage).toMatchObject({ llmCalls: stats.llm.calls, images: stats.images, activeCampaigns: 1 });
  }, 60_000);
});
