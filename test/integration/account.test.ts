import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'svix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLERK_WEBHOOK_SECRET } from '../../dev/stack';
import { sampleCreator, sampleCreatorDetails } from '../../dev/demo';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { periodOf, plans } from '../../shared/domain/plans';
import type { Tier } from '../../shared/schemas/plans';
import type { Phase2Request } from '../../shared/schemas/profile';
import { campaignOnboarding, creatorOf, startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let carol: string;
let admin: string;
const month = () => periodOf(new Date()).month;

const oneWeek = campaignOnboarding({
  name: 'One week',
  platforms: [
    { platform: 'youtube', postsPerWeek: 7 },
    { platform: 'tiktok', postsPerWeek: 7 },
    { platform: 'instagram', postsPerWeek: 7 },
  ],
  agentConfig: { tone: 'warm', language: 'en' },
});
const within10 = (estimated: number, actual: number) =>
  expect(Math.abs(estimated - actual) / actual, `estimated ${estimated}, actual ${actual}`).toBeLessThanOrEqual(0.1);

const readyCampaign = async (userId: string, token: string, onboarding = oneWeek) =>
  (await creatorOf(api, userId, token).campaign(onboarding).ready()).campaignId;

const item = async (key: { PK: string; SK: string }) =>
  (await dynamo.send(new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }))).Item;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
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
    expect(res.body.data).toMatchObject({
      userId: 'carol',
      tier: 'free',
      period: { month: month() },
      limits: plans.free,
      usage: { campaignsStarted: 0, costMicroUsd: 0, activeCampaigns: 0 },
    });
    expect(res.body.data.quotas).toContainEqual({
      limit: 'campaignsPerMonth',
      used: 0,
      max: plans.free.campaignsPerMonth,
      resetsAt: periodOf(new Date()).resetsAt,
    });
    expect(await item(keys.user('carol'))).toMatchObject({ userId: 'carol', tier: 'free' });
  });

  it('lets only an admin token change a plan, of an existing user only (404); a role in the body means nothing; unknown tiers are 400', async () => {
    const self = await api('PATCH', '/account/plan', { token: carol, body: { tier: 'enterprise' } });
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('FORBIDDEN');
    const forged = await api('PATCH', '/account/plan', { token: carol, body: { tier: 'enterprise', role: 'admin' } });
    expect(forged.status).toBe(400);
    const wrongTier = await api('PATCH', '/account/plan', { token: admin, body: { tier: 'platinum', userId: 'carol' } });
    expect(wrongTier.status).toBe(400);
    expect(wrongTier.body.error.details.issues[0].path).toBe('body.tier');
    expect((await item(keys.user('carol')))?.tier).toBe('free');

    // A plan change never creates a user: an id nobody has (dave before his first request, a path) is 404.
    for (const userId of ['dave', '../../x']) {
      const unknown = await api('PATCH', '/account/plan', { token: admin, body: { tier: 'pro', userId } });
      expect(unknown.status, userId).toBe(404);
      expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
      expect(await item(keys.user(userId))).toBeUndefined();
    }
    const dave = await stack.token('dave');
    expect((await api('GET', '/account', { token: dave })).body.data.tier).toBe('free');
    const changed = await api('PATCH', '/account/plan', { token: admin, body: { tier: 'pro', userId: 'dave' } });
    expect(changed.status).toBe(200);
    expect(changed.body.data).toMatchObject({ userId: 'dave', tier: 'pro' });
    expect((await api('GET', '/account', { token: dave })).body.data).toMatchObject({ tier: 'pro', limits: plans.pro });
  });
});

describe('metering, the cost dry-run and quotas', () => {
  it("estimates a campaign within 10 % of its real offline run, and meters the run into the creator's month", async () => {
    // The sample creator of the demo, fully onboarded: the kind of profile the estimate is calibrated on.
    const creator = creatorOf(api, 'carol', carol);
    await creator.onboard(sampleCreator);
    await creator.details(sampleCreatorDetails as Phase2Request);
    const id = await readyCampaign('carol', carol, { ...oneWeek, competitors: sampleCreatorDetails.competitorAccounts });
    const estimate = await api('POST', `/campaigns/${id}/estimate`, { token: carol });
    expect(estimate.status).toBe(200);
    // context, forensics, strategist, a planner call per platform, week 1's 10 writer chunks, its critic.
    expect(estimate.body.data).toMatchObject({ posts: 21, weeks: 1, images: 21, llmCalls: 17 });
    // The local stack has no Gemini key: it prices the offline chain and the offline title cards it runs.
    expect(estimate.body.data).toMatchObject({
      llm: { chain: ['offline'], model: 'offline', keySource: 'platform', costMicroUsd: 0 },
      thumbnails: { provider: 'offline', costMicroUsd: 0 },
      costMicroUsd: 0,
      planLimits: { tier: 'free', maxDurationDays: plans.free.maxDurationDays, fits: true, exceeded: [] },
    });

    const started = await api('POST', `/campaigns/${id}/start`, { token: carol });
    expect(started.status).toBe(202);
    expect(started.body.data.estimate).toEqual(estimate.body.data);
    await pollUntil(
      () => api('GET', `/campaigns/${id}`, { token: carol }),
      (res) => res.body.data?.status === 'in_progress',
      'in_progress',
    );

    const stats = (await api('GET', `/campaigns/${id}/stats`, { token: carol })).body.data;
    console.info('estimate vs offline run', JSON.stringify({ estimated: stats.estimated, actual: { ...stats.llm, images: stats.images } }));
    expect(stats.estimated.images).toBe(stats.images);
    within10(stats.estimated.llmCalls, stats.llm.calls);
    within10(stats.estimated.tokensIn, stats.llm.tokensIn);
    within10(stats.estimated.tokensOut, stats.llm.tokensOut);
    expect(stats.estimated.costUsd).toBe(stats.llm.costUsd);
    expect(stats.llm.costUsd).toBe(0);

    const usage = await item(keys.usage('carol', month()));
    expect(usage).toMatchObject({
      campaignsStarted: 1,
      llmCalls: stats.llm.calls,
      tokensIn: stats.llm.tokensIn,
      tokensOut: stats.llm.tokensOut,
      images: stats.images,
    });
    const account = (await api('GET', '/account', { token: carol })).body.data;
    expect(account.usage).toMatchObject({ llmCalls: stats.llm.calls, images: stats.images, campaignsStarted: 1, activeCampaigns: 1 });
  }, 60_000);

  it("refuses a campaign's shape beyond the plan when its onboarding is saved or completed, shows the limits in the estimate, and checks them again at start", async () => {
    const erin = await stack.token('erin');
    await creatorOf(api, 'erin', erin).onboard({ userName: 'Erin' });
    const id = (await api('POST', '/campaigns', { token: erin, body: {} })).body.data.campaignId;
    const sixtyDays = { ...oneWeek, durationDays: 60 };
    const fourPlatforms = [...oneWeek.platforms!, { platform: 'x', postsPerWeek: 7 }];
    for (const path of [`/campaigns/${id}/onboarding`, `/campaigns/${id}`]) {
      const long = await api('PATCH', path, { token: erin, body: sixtyDays });
      expect(long.status).toBe(402);
      expect(long.body.error).toEqual({
        code: 'QUOTA_EXCEEDED',
        message: expect.any(String),
        details: { limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays },
      });
      const wide = await api('PATCH', path, { token: erin, body: { platforms: fourPlatforms } });
      expect(wide.status).toBe(402);
      expect(wide.body.error.details).toEqual({ limit: 'platformsPerCampaign', usage: 4, limitValue: plans.free.platformsPerCampaign });
    }
    // Nothing was written.
    const untouched = (await api('GET', `/campaigns/${id}`, { token: erin })).body.data;
    expect(untouched).toMatchObject({ status: 'onboarding_incomplete', version: 1 });
    expect(untouched.durationDays).toBeUndefined();

    expect((await api('PATCH', `/campaigns/${id}/onboarding`, { token: erin, body: { ...oneWeek, durationDays: 14 } })).status).toBe(200);
    const fits = await api('POST', `/campaigns/${id}/estimate`, { token: erin });
    expect(fits.body.data.planLimits).toEqual({
      ...fits.body.data.planLimits,
      tier: 'free',
      maxDurationDays: plans.free.maxDurationDays,
      platformsPerCampaign: plans.free.platformsPerCampaign,
      fits: true,
      exceeded: [],
    });

    // Set up on pro, then back on free: the estimate says it no longer fits, complete-onboarding refuses it.
    const setTier = (tier: Tier) => fixtures.setTier('erin', tier);
    await setTier('pro');
    expect((await api('PATCH', `/campaigns/${id}/onboarding`, { token: erin, body: sixtyDays })).status).toBe(200);
    await setTier('free');
    const over = await api('POST', `/campaigns/${id}/estimate`, { token: erin });
    expect(over.body.data.planLimits).toMatchObject({
      tier: 'free',
      fits: false,
      exceeded: [{ limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays }],
    });
    const complete = await api('POST', `/campaigns/${id}/complete-onboarding`, { token: erin });
    expect(complete.status).toBe(402);
    expect(complete.body.error.details).toEqual({ limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays });
    expect((await api('GET', `/campaigns/${id}`, { token: erin })).body.data.status).toBe('onboarding_incomplete');

    // The start keeps its own check: the tier may change after onboarding.
    await setTier('pro');
    expect((await api('POST', `/campaigns/${id}/complete-onboarding`, { token: erin })).status).toBe(200);
    await setTier('free');
    const shape = await api('POST', `/campaigns/${id}/start`, { token: erin });
    expect(shape.status).toBe(402);
    expect(shape.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays },
    });
  });

  it('refuses a start before anything runs when a quota would be crossed: 402 naming the limit, the usage, the limit and the reset', async () => {
    const erin = await stack.token('erin');
    // The month's campaigns are used up (as if five had run): the next start is refused, the campaign stays ready.
    const { resetsAt } = periodOf(new Date());
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.usage('erin', month()),
        UpdateExpression: 'ADD campaignsStarted :n',
        ExpressionAttributeValues: { ':n': plans.free.campaignsPerMonth },
      }),
    );
    const id = await readyCampaign('erin', erin);
    const refused = await api('POST', `/campaigns/${id}/start`, { token: erin, headers: { 'idempotency-key': 'erin-start' } });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'campaignsPerMonth', usage: plans.free.campaignsPerMonth + 1, limitValue: plans.free.campaignsPerMonth, resetsAt },
    });
    expect((await api('GET', `/campaigns/${id}`, { token: erin })).body.data.status).toBe('ready_to_start');
    expect((await item(keys.usage('erin', month())))?.campaignsStarted).toBe(plans.free.campaignsPerMonth);

    // An upgrade lifts it; a month whose LLM budget is spent still refuses a start, even of a campaign the offline chain runs at $0.
    await fixtures.setTier('erin', 'pro');
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.usage('erin', month()),
        UpdateExpression: 'ADD costMicroUsd :n',
        ExpressionAttributeValues: { ':n': plans.pro.llmBudgetMicroUsd },
      }),
    );
    const budget = await api('POST', `/campaigns/${id}/start`, { token: erin });
    expect(budget.status).toBe(402);
    expect(budget.body.error.details).toMatchObject({ limit: 'llmBudgetMicroUsd', limitValue: plans.pro.llmBudgetMicroUsd, resetsAt });
  });
});

describe('users from Clerk (Svix-signed webhook)', () => {
  const signer = new Webhook(LOCAL_CLERK_WEBHOOK_SECRET);
  const userEvent = (type: string, id: string, email?: string) =>
    JSON.stringify({
      type,
      object: 'event',
      data: {
        id,
        object: 'user',
        ...(email && { email_addresses: [{ id: 'idn_1', email_address: email }], primary_email_address_id: 'idn_1' }),
      },
    });
  const deliver = (svixId: string, payload: string, at = new Date(), sent = payload) =>
    api('POST', '/auth/webhooks/clerk', {
      rawBody: sent,
      headers: {
        'content-type': 'application/json',
        'svix-id': svixId,
        'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
        'svix-signature': signer.sign(svixId, at, payload),
      },
    });

  it('creates and updates the user from signed deliveries, and processes a replayed svix-id once', async () => {
    const created = await deliver('msg_1', userEvent('user.created', 'user_frank', 'frank@example.com'));
    expect(created.status).toBe(200);
    expect(created.body.data).toEqual({ type: 'user.created', handled: true, duplicate: false });
    expect(await item(keys.user('user_frank'))).toMatchObject({ userId: 'user_frank', email: 'frank@example.com', tier: 'free' });

    expect((await deliver('msg_2', userEvent('user.updated', 'user_frank', 'frank@new.example.com'))).status).toBe(200);
    const replayed = await deliver('msg_1', userEvent('user.created', 'user_frank', 'frank@example.com'));
    expect(replayed.status).toBe(200);
    expect(replayed.body.data.duplicate).toBe(true);
    expect((await item(keys.user('user_frank')))?.email).toBe('frank@new.example.com');
  });

  it('refuses a tampered body, a bad signature and a timestamp outside 5 minutes with 401, writing nothing', async () => {
    const payload = userEvent('user.created', 'user_grace', 'grace@example.com');
    const tampered = await deliver('msg_3', payload, new Date(), payload.replace('grace@', 'mallory@'));
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('UNAUTHORIZED');
    const stale = await deliver('msg_4', payload, new Date(Date.now() - 6 * 60_000));
    expect(stale.status).toBe(401);
    const unsigned = await api('POST', '/auth/webhooks/clerk', {
      rawBody: payload,
      headers: {
        'content-type': 'application/json',
        'svix-id': 'msg_5',
        'svix-timestamp': String(Math.floor(Date.now() / 1000)),
        'svix-signature': 'v1,AAAA',
      },
    });
    expect(unsigned.status).toBe(401);
    expect(await item(keys.user('user_grace'))).toBeUndefined();
    for (const id of ['msg_3', 'msg_4', 'msg_5']) expect(await item(keys.webhookDelivery(id))).toBeUndefined();
  });

  it('runs the account deletion on user.deleted: the user, the request and the job are gone at the end', async () => {
    expect((await deliver('msg_5b', userEvent('user.created', 'user_frank'))).status).toBe(200);
    expect(await item(keys.user('user_frank'))).toBeDefined();
    expect((await deliver('msg_6', userEvent('user.deleted', 'user_frank'))).status).toBe(200);
    await stack.asyncIdle();
    expect(await item(keys.user('user_frank'))).toBeUndefined();
    expect(await item(keys.deletionRequest('user_frank'))).toBeUndefined();
    expect(await item(keys.activeJob('user_frank', 'delete'))).toBeUndefined();
  });
});

describe('rate limiting', () => {
  it('counts every authenticated request per user and minute, and answers 429 with Retry-After over the tier limit', async () => {
    const henry = await stack.token('henry');
    const first = await api('GET', '/account', { token: henry });
    expect(first.status).toBe(200);
    const limit = plans.free.requestsPerMinute;
    expect(first.headers.get('ratelimit-limit')).toBe(String(limit));
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(limit - 1);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);

    let limited: Awaited<ReturnType<typeof api>> | undefined;
    // Up to two windows' worth: a burst that crosses the minute starts counting again.
    for (let sent = 1; sent <= 2 * limit + 100 && !limited; sent += 50) {
      const batch = await Promise.all(Array.from({ length: 50 }, () => api('GET', '/account', { token: henry })));
      limited = batch.find((res) => res.status === 429);
    }
    expect(limited).toBeDefined();
    expect(limited!.body.error).toMatchObject({ code: 'RATE_LIMITED', details: { limit } });
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited!.headers.get('ratelimit-remaining')).toBe('0');
    // Another user is not affected; public routes are not counted.
    expect((await api('GET', '/account', { token: carol })).status).toBe(200);
    expect((await api('GET', '/plans')).headers.get('ratelimit-limit')).toBeNull();
  });
});
