import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let alice: string;
let campaignId: string;

const onboarding = {
  name: 'Posting week',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 5000, baseline: 1200 },
  durationDays: 7,
  startDate: '2026-12-01',
  platforms: [
    { platform: 'youtube', postsPerWeek: 3 },
    { platform: 'linkedin', postsPerWeek: 2 },
  ],
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 0, maxCritiqueRounds: 1 },
};

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.apiUrl);
  alice = await stack.token('alice');
  const profile = { userName: 'Alice', creatorType: 'educator', niche: 'personal finance', targetAudienceNiche: 'students', timeZone: 'Europe/Paris' };
  expect((await api('POST', '/onboarding', { token: alice, body: profile })).status).toBe(201);
  campaignId = (await api('POST', '/campaigns', { token: alice, body: {} })).body.data.campaignId;
  expect((await api('PATCH', `/campaigns/${campaignId}/onboarding`, { token: alice, body: onboarding })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token: alice })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/start`, { token: alice })).status).toBe(202);
  await pollUntil(() => api('GET', `/campaigns/${campaignId}`, { token: alice }), (res) => res.body.data?.status === 'in_progress', 'the campaign to be generated', 90_000);
}, 120_000);
afterAll(() => stack?.dispose());

describe('notifications', () => {
  it('tells the creator the campaign is ready, once, and publishes campaign.generated on the bus', async () => {
    const listed = await api('GET', '/notifications', { token: alice });
    expect(listed.status).toBe(200);
    const generated = listed.body.data.filter((n: { type: string }) => n.type === 'campaign.generated');
    expect(generated).toHaveLength(1);
    expect(generated[0]).toMatchObject({ campaignId, title: 'Your campaign is ready', data: { campaignName: 'Posting week', postsTotal: 5, attempt: 1 } });
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
    expect((await api('GET', '/notifications?unread=true', { token: alice })).body.data.map((n: { notificationId: string }) => n.notificationId)).not.toContain(first.notificationId);

    const all = await api('POST', '/notifications/read-all', { token: alice });
    expect(all.status).toBe(200);
    expect(all.body.data.more).toBe(false);
    expect((await api('GET', '/notifications?unread=true', { token: alice })).body.data).toEqual([]);
  });

  it('answers 404 for a notification of someone else, 400 for a malformed id or cursor', async () => {
    const bob = await stack.token('bob');
    const [mine] = (await api('GET', '/notifications', { token: alice })).body.data;
    expect((await api('POST', `/notifications/${mine.notificationId}/read`, { token: bob })).body.error.code).toBe('NOTIFICATION_NOT_FOUND');
    expect((await api('POST', '/notifications/nope/read', { token: bob })).status).toBe(400);
    const page = await api('GET', '/notifications?limit=1', { token: alice });
    if (page.body.meta.nextCursor) {
      expect((await api('GET', `/notifications?cursor=${page.body.meta.nextCursor}`, { token: bob })).body.error.code).toBe('INVALID_CURSOR');
    }
  });
});
