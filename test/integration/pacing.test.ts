import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/schedule';
import { completeCampaign, startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';
import { webhookReceiver } from '../support/webhook-receiver';

/**
 * Goal pacing end to end: a followers goal measured first by the posts' reported gains, then by
 * follower counts; the status is evaluated where numbers arrive (confirm-day, the CSV import,
 * PUT /profile/followers) and each turn to behind is told once (notification and webhook).
 */

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let creator: Creator;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let campaignId: string;
// A week that is over: every day of it counts.
const startDate = addDays(new Date().toISOString().slice(0, 10), -20);

beforeAll(async () => {
  receiver = await webhookReceiver(204);
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('pacer');
  const hook = await api('POST', '/webhooks', { token: creator.token, body: { url: receiver.url, eventTypes: ['campaign.behind'] } });
  expect(hook.status).toBe(201);
  ({ campaignId } = await creator
    .campaign({
      name: 'Subscriber sprint',
      goal: { type: 'followers', metric: 'YouTube subscribers', target: 5000, baseline: 1000 },
      startDate,
      platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
    })
    .generated());
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
  await receiver?.close();
});

const pacing = async () => {
  const res = await api('GET', `/campaigns/${campaignId}/pacing`, { token: creator.token });
  expect(res.status).toBe(200);
  return res.body.data;
};
const behindNotifications = async () =>
  (await api('GET', '/notifications', { token: creator.token })).body.data.filter((n: { type: string }) => n.type === 'campaign.behind');
const putFollowers = async (date: string, count: number) =>
  expect((await api('PUT', '/profile/followers', { token: creator.token, body: { platform: 'youtube', date, count } })).status).toBe(200);

describe('goal pacing', () => {
  it('a campaign not started has no pacing yet', async () => {
    const draft = await creator.campaign({ name: 'Not yet' }).ready();
    const res = await api('GET', `/campaigns/${draft.campaignId}/pacing`, { token: creator.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CAMPAIGN_STATE_CONFLICT');
  });

  it('reading the pacing changes nothing and tells nobody', async () => {
    const read = await pacing();
    expect(read).toMatchObject({ campaignId, status: 'behind', basis: 'followersGained', durationDays: 7 });
    expect(read.days).toHaveLength(7);
    expect(read.days[0]).toMatchObject({ day: 1, date: startDate, actual: 1000 });
    expect(await behindNotifications()).toEqual([]);
  });

  it('campaign.behind once per turn to behind, wherever the numbers arrive', async () => {
    // confirm-day: 10 followers gained in a week that is over, 4,000 needed → behind, told once.
    const confirmed = await api('POST', `/campaigns/${campaignId}/confirm-day`, {
      token: creator.token,
      body: { day: 1, platform: 'youtube', posted: true, platformPostId: 'yt-1', metrics: { followersGained: 10, views: 300 } },
    });
    expect(confirmed.status).toBe(200);
    const first = await behindNotifications();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      campaignId,
      title: 'Your campaign is behind its goal',
      data: { metric: 'YouTube subscribers', target: 5000, day: 7, actual: 1010, projected: { final: 1010, high: 1010 } },
    });

    // The CSV import evaluates too: still behind, nothing new.
    const csv = ['platform,date,platformPostId,views,likes', 'youtube,,yt-1,900,40'].join('\n');
    const imported = await api('POST', `/campaigns/${campaignId}/metrics/import`, { token: creator.token, body: { csv } });
    expect(imported.body.data.applied).toBe(1);
    expect(await behindNotifications()).toHaveLength(1);

    // Follower counts take over: 1,000 before the start, 6,000 on the last day → ahead.
    await putFollowers(addDays(startDate, -1), 1000);
    await putFollowers(addDays(startDate, 6), 6000);
    expect(await pacing()).toMatchObject({ status: 'ahead', basis: 'followerCounts' });

    // A corrected count of the last day: 1,500 → behind again, a second event.
    await putFollowers(addDays(startDate, 6), 1500);
    const read = await pacing();
    expect(read).toMatchObject({ status: 'behind', basis: 'followerCounts' });
    expect(read.days.at(-1)).toMatchObject({ day: 7, actual: 1500, projected: { final: 1500, low: 1500, high: 1500 }, status: 'behind' });
    const second = await behindNotifications();
    expect(second).toHaveLength(2);
    expect(new Set(second.map((n: { notificationId: string }) => n.notificationId)).size).toBe(2);

    const delivered = await pollUntil(
      async () => receiver.requests.map((request) => JSON.parse(request.body) as { id: string; type: string; campaignId: string }),
      (bodies) => bodies.length >= 2,
      'two campaign.behind deliveries',
    );
    expect(delivered.map((body) => body.type)).toEqual(['campaign.behind', 'campaign.behind']);
    expect(new Set(delivered.map((body) => body.id))).toEqual(new Set(second.map((n: { notificationId: string }) => n.notificationId)));
    expect(stack.publishedEvents().filter((event) => event.detailType === 'campaign.behind')).toHaveLength(2);
  });

  it("predictions: set before posting, checked by the outcome report, and learned from by the creator's next campaign", async () => {
    const content = (id: string) =>
      api('GET', `/campaigns/${id}/content`, { token: creator.token }).then(
        (res) => res.body.data as { day: number; prediction?: { score: number; basedOn: number } }[],
      );
    // A new creator: every post predicted at the baseline.
    expect((await content(campaignId)).map((item) => item.prediction?.score)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    for (let day = 1; day <= 7; day++) {
      const body = { day, platform: 'youtube', posted: true, metrics: { likes: 10 * day * day, views: 300 } };
      expect((await api('POST', `/campaigns/${campaignId}/confirm-day`, { token: creator.token, body })).status).toBe(200);
    }
    const { outcome } = (await completeCampaign(api, creator.token, campaignId)).outputs;
    // Days 6 and 7 have a baseline (5 earlier posts): 2 checked, too few for a correlation.
    expect(outcome.prediction).toEqual({
      posts: [
        { day: 6, platform: 'youtube', predicted: 0, actual: expect.any(Number) },
        { day: 7, platform: 'youtube', predicted: 0, actual: expect.any(Number) },
      ],
      n: 2,
      reading: 'Not enough to check yet: 2 scored posts have a prediction, 3 needed.',
    });
    expect(outcome.summary).toContain('Not enough to check yet');

    const next = await creator
      .campaign({ name: 'Second sprint', startDate, platforms: [{ platform: 'youtube', postsPerWeek: 7 }] })
      .generated();
    const predicted = await content(next.campaignId);
    expect(predicted.every((item) => item.prediction?.basedOn === 2)).toBe(true);
    expect(predicted.some((item) => item.prediction!.score !== 0)).toBe(true);
  }, 120_000);
});
