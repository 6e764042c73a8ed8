import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { invokeLocal } from '../../dev/lambda-runtime';
import { scheduledEvent } from '../../dev/scheduler';
import { dynamo } from '../../shared/db/client';
import { dueShard, keys } from '../../shared/db/keys';
import { windowContaining } from '../../shared/domain/due-window';
import { plans } from '../../shared/domain/plans';
import { verifyWebhookSignature } from '../../shared/domain/webhooks';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';
import { webhookReceiver as receiver } from '../support/webhook-receiver';

// Read by the delivery worker at its first invocation: two failed deliveries disable a subscription.
process.env.WEBHOOK_DISABLE_AFTER = '2';

let good: Awaited<ReturnType<typeof receiver>>;
let failing: Awaited<ReturnType<typeof receiver>>;

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let alice: string;
let campaignId: string;

beforeAll(async () => {
  [good, failing] = await Promise.all([receiver(204), receiver(500)]);
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  const creator = await fixtures.creator('alice');
  alice = creator.token;
  ({ campaignId } = await creator
    .campaign({
      name: 'Posting week',
      platforms: [
        { platform: 'youtube', postsPerWeek: 3 },
        { platform: 'linkedin', postsPerWeek: 2 },
      ],
      agentConfig: { tone: 'warm', language: 'en', critiqueBar: 0, maxCritiqueRounds: 1 },
    })
    .generated());
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  await Promise.all([good?.close(), failing?.close()]);
});

describe('notifications', () => {
  it('tells the creator the campaign is ready, once, and publishes campaign.generated on the bus', async () => {
    const listed = await api('GET', '/notifications', { token: alice });
    expect(listed.status).toBe(200);
    const generated = listed.body.data.filter((n: { type: string }) => n.type === 'campaign.generated');
    expect(generated).toHaveLength(1);
    expect(generated[0]).toMatchObject({
      campaignId,
      title: 'Your campaign is ready',
      data: { campaignName: 'Posting week', postsTotal: 5, attempt: 1 },
    });
    expect(generated[0].readAt).toBeUndefined();

    const published = stack.publishedEvents().filter((event) => event.detailType === 'campaign.generated');
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      eventBusName: stack.eventBusName,
      source: 'crescendo',
      detail: { id: generated[0].notificationId, type: 'campaign.generated', userId: 'alice', campaignId, data: { postsTotal: 5 } },
    });
  });

  it('pages newest first, filters unread, marks one and then all read', async () => {
    const first = (await api('GET', '/notifications', { token: alice })).body.data[0];
    const read = await api('POST', `/notifications/${first.notificationId}/read`, { token: alice });
    expect(read.status).toBe(200);
    expect(read.body.data.readAt).toEqual(expect.any(String));
    const again = await api('POST', `/notifications/${first.notificationId}/read`, { token: alice });
    expect(again.body.data.readAt).toBe(read.body.data.readAt);
    expect(
      (await api('GET', '/notifications?unread=true', { token: alice })).body.data.map((n: { notificationId: string }) => n.notificationId),
    ).not.toContain(first.notificationId);

    const all = await api('POST', '/notifications/read-all', { token: alice });
    expect(all.status).toBe(200);
    expect(all.body.data.more).toBe(false);
    expect((await api('GET', '/notifications?unread=true', { token: alice })).body.data).toEqual([]);
  });

  it('answers 404 for a notification of someone else, 400 for a malformed id or cursor', async () => {
    const bob = await stack.token('bob');
    const [mine] = (await api('GET', '/notifications', { token: alice })).body.data;
    expect((await api('POST', `/notifications/${mine.notificationId}/read`, { token: bob })).body.error.code).toBe(
      'NOTIFICATION_NOT_FOUND',
    );
    expect((await api('POST', '/notifications/nope/read', { token: bob })).status).toBe(400);
    const page = await api('GET', '/notifications?limit=1', { token: alice });
    if (page.body.meta.nextCursor) {
      expect((await api('GET', `/notifications?cursor=${page.body.meta.nextCursor}`, { token: bob })).body.error.code).toBe(
        'INVALID_CURSOR',
      );
    }
  });
});

let secret: string;
let webhookId: string;

describe('webhooks', () => {
  it('refuses the metadata address and plain-http loopback names it cannot resolve, with stable codes', async () => {
    const metadata = await api('POST', '/webhooks', {
      token: alice,
      body: { url: 'http://169.254.169.254/latest/meta-data/', eventTypes: ['post.due'] },
    });
    expect(metadata.status).toBe(422);
    expect(metadata.body.error).toMatchObject({
      code: 'WEBHOOK_URL_REFUSED',
      details: { reason: 'link_local', address: '169.254.169.254' },
    });
    const ipv6LinkLocal = await api('POST', '/webhooks', { token: alice, body: { url: 'http://[fe80::1]/', eventTypes: ['post.due'] } });
    expect(ipv6LinkLocal.body.error).toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { reason: 'link_local' } });
    const ftp = await api('POST', '/webhooks', { token: alice, body: { url: 'ftp://example.com/', eventTypes: ['post.due'] } });
    expect(ftp.status).toBe(400);
    expect((await api('GET', '/webhooks', { token: alice })).body.data).toEqual([]);
  });

  it('creates a subscription whose secret is shown once, and sends a signed test delivery', async () => {
    const created = await api('POST', '/webhooks', {
      token: alice,
      body: { url: good.url, eventTypes: ['post.due', 'campaign.completed'], description: 'receiver' },
    });
    expect(created.status).toBe(201);
    ({ secret, webhookId } = created.body.data);
    expect(secret).toMatch(/^whsec_/);
    const listed = await api('GET', '/webhooks', { token: alice });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ webhookId, status: 'active', eventTypes: ['post.due', 'campaign.completed'] }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const test = await api('POST', `/webhooks/${webhookId}/test`, { token: alice });
    expect(test.status).toBe(202);
    expect(test.body.data).toMatchObject({ webhookId, type: 'webhook.test', status: 'pending' });
    const deliveries = await pollUntil(
      () => api('GET', `/webhooks/${webhookId}/deliveries`, { token: alice }),
      (res) => res.body.data?.[0]?.status === 'succeeded',
      'the test delivery',
    );
    expect(deliveries.body.data[0].attempts).toEqual([expect.objectContaining({ attempt: 1, status: 204 })]);
    expect(good.requests).toHaveLength(1);
    const [request] = good.requests;
    expect(verifyWebhookSignature(secret, request.body, request.headers['crescendo-signature'] as string)).toBe(true);
    expect(verifyWebhookSignature('whsec_wrong', request.body, request.headers['crescendo-signature'] as string)).toBe(false);
    expect(request.headers).toMatchObject({
      'crescendo-event': 'webhook.test',
      'crescendo-delivery': test.body.data.deliveryId,
      'content-type': 'application/json',
    });
    expect(JSON.parse(request.body)).toMatchObject({ type: 'webhook.test', userId: 'alice', data: { webhookId } });
  });

  it("refuses a free creator's second subscription (402) and shows the count in GET /account; a pro creator may have more", async () => {
    const refused = await api('POST', '/webhooks', { token: alice, body: { url: failing.url, eventTypes: ['post.due'] } });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'webhooks', usage: plans.free.webhooks + 1, limitValue: plans.free.webhooks },
    });
    expect((await api('GET', '/webhooks', { token: alice })).body.data).toHaveLength(plans.free.webhooks);
    expect((await api('GET', '/account', { token: alice })).body.data.quotas).toContainEqual({
      limit: 'webhooks',
      used: 1,
      max: plans.free.webhooks,
    });
    await fixtures.setTier('alice', 'pro');
  });

  it('retries a receiver that answers 500, then disables the subscription and tells the creator once', async () => {
    const created = await api('POST', '/webhooks', { token: alice, body: { url: failing.url, eventTypes: ['post.due'] } });
    const failingId = created.body.data.webhookId;
    for (let i = 0; i < 2; i++) {
      expect((await api('POST', `/webhooks/${failingId}/test`, { token: alice })).status).toBe(202);
      await pollUntil(
        () => api('GET', `/webhooks/${failingId}/deliveries`, { token: alice }),
        (res) => res.body.data?.[0]?.status === 'failed',
        'a failed delivery',
      );
    }
    const deliveries = (await api('GET', `/webhooks/${failingId}/deliveries`, { token: alice })).body.data;
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) expect(delivery.attempts.map((a: { status: number }) => a.status)).toEqual([500, 500, 500, 500]);
    expect(failing.requests).toHaveLength(8);

    const hook = await pollUntil(
      () => api('GET', '/webhooks', { token: alice }),
      (res) => res.body.data.some((w: { webhookId: string; status: string }) => w.webhookId === failingId && w.status === 'disabled'),
      'the subscription disabled',
    );
    expect(hook.body.data.find((w: { webhookId: string }) => w.webhookId === failingId)).toMatchObject({
      consecutiveFailures: 2,
      disabledAt: expect.any(String),
    });
    const disabled = (await api('GET', '/notifications', { token: alice })).body.data.filter(
      (n: { type: string }) => n.type === 'webhook.disabled',
    );
    expect(disabled).toEqual([
      expect.objectContaining({ title: 'Webhook disabled', data: expect.objectContaining({ webhookId: failingId, url: failing.url }) }),
    ]);

    const refused = await api('POST', `/webhooks/${failingId}/test`, { token: alice });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WEBHOOK_DISABLED');
    expect((await api('GET', '/account', { token: alice })).body.data.usage.webhooks).toBe(2);
    expect((await api('DELETE', `/webhooks/${failingId}`, { token: alice })).status).toBe(204);
    expect((await api('GET', '/account', { token: alice })).body.data.usage.webhooks).toBe(1);
    expect((await api('DELETE', `/webhooks/${failingId}`, { token: alice })).body.error.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await api('GET', `/webhooks/${failingId}/deliveries`, { token: alice })).body.error.code).toBe('WEBHOOK_NOT_FOUND');
  });
});

describe('the posting trigger', () => {
  interface Post {
    day: number;
    platform: string;
    dueAt: string;
    status: string;
  }
  const schedule = async (): Promise<Post[]> =>
    (await api('GET', `/campaigns/${campaignId}/schedule`, { token: alice })).body.data.days.flatMap((day: { posts: Post[] }) => day.posts);
  const runTrigger = async (at: Date) => {
    const result = await invokeLocal('functions/triggers/posting-trigger.ts', scheduledEvent('PostingSchedule', at), 'PostingTrigger');
    await stack.asyncIdle();
    return result;
  };
  const dueNotifications = async () =>
    (await api('GET', '/notifications?limit=100', { token: alice })).body.data.filter((n: { type: string }) => n.type === 'post.due');
  const dueRequests = () => good.requests.filter((request) => request.headers['crescendo-event'] === 'post.due');

  it('marks exactly the posts due in the window, notifies each once, delivers one signed webhook each, and skips a poisoned entry', async () => {
    const posts = await schedule();
    const first = posts.map((post) => post.dueAt).sort()[0];
    const { start, end } = windowContaining(new Date(first));
    const expected = posts.filter((post) => new Date(post.dueAt) >= start && new Date(post.dueAt) < end);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(posts.length);

    // A due-index entry whose campaign does not exist, in the same shard and window.
    const ghostCampaign = '00000000-0000-4000-8000-000000000000';
    const time = first.slice(11, 16);
    await dynamo.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: {
          ...keys.content('alice', ghostCampaign, 1, 'youtube'),
          GSI1PK: keys.duePk(first.slice(0, 10), dueShard('alice', campaignId)),
          GSI1SK: keys.dueSk(time, 'alice', ghostCampaign, 'youtube'),
          day: 1,
          platform: 'youtube',
          dueAt: first,
        },
      }),
    );

    const result = await runTrigger(new Date(start.getTime() + 60_000));
    expect(result).toMatchObject({ windowStart: start.toISOString(), windowEnd: end.toISOString(), shards: 16 });

    const after = await schedule();
    const due = after.filter((post) => post.status === 'due');
    expect(due.map((post) => `${post.day}/${post.platform}`).sort()).toEqual(expected.map((post) => `${post.day}/${post.platform}`).sort());

    const notified = await dueNotifications();
    expect(notified).toHaveLength(expected.length);
    for (const post of expected) {
      expect(notified).toContainEqual(
        expect.objectContaining({
          campaignId,
          occurredAt: post.dueAt,
          data: expect.objectContaining({ day: post.day, platform: post.platform, campaignName: 'Posting week' }),
        }),
      );
    }
    expect(dueRequests()).toHaveLength(expected.length);
    for (const request of dueRequests()) {
      expect(verifyWebhookSignature(secret, request.body, request.headers['crescendo-signature'] as string)).toBe(true);
      expect(JSON.parse(request.body)).toMatchObject({ type: 'post.due', campaignId, userId: 'alice' });
    }
    expect(stack.publishedEvents().filter((event) => event.detailType === 'post.due')).toHaveLength(expected.length);

    // The poisoned entry's shard, run directly: reported, and the window's posts are not notified twice.
    const report = (await invokeLocal(
      'functions/triggers/posting-shard.ts',
      {
        windowStart: start.toISOString(),
        range: { day: first.slice(0, 10), from: start.toISOString().slice(11, 16), to: end.toISOString().slice(11, 16) },
        shard: dueShard('alice', campaignId),
      },
      'PostingShardWorker',
    )) as { skipped: { reason: string }[]; notified: number; duplicates: number; marked: number };
    expect(report.skipped).toEqual([expect.objectContaining({ reason: 'campaign not found' })]);
    expect(report).toMatchObject({ notified: 0, marked: 0, duplicates: expected.length });
  });

  it('running again over the same window, from another minute of it, notifies and delivers nothing more', async () => {
    const before = {
      notifications: (await dueNotifications()).length,
      requests: dueRequests().length,
      events: stack.publishedEvents().length,
    };
    const first = (await schedule()).map((post) => post.dueAt).sort()[0];
    const { start } = windowContaining(new Date(first));
    await runTrigger(new Date(start.getTime() + 14 * 60_000));
    await runTrigger(start);
    expect((await dueNotifications()).length).toBe(before.notifications);
    expect(dueRequests().length).toBe(before.requests);
    expect(stack.publishedEvents().length).toBe(before.events);
  });
});
