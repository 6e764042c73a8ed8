import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { connectBluesky, publishedJourney, type JourneyPost } from '../support/platform-journey';

/**
 * The scheduled metrics import from Bluesky on the local stack: posts published automatically as
 * real records on the reference PDS, their counts read from the local App View (getPosts, 25 URIs
 * a request) at their checkpoints with `source: platform`, the follower count once a day; a
 * manual number newer than the platform's wins and they are never added.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;

beforeAll(async () => {
  fixtures = await startFixtures({ bluesky: true });
  ({ stack, api } = fixtures);
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
});

describe('importing metrics and follower counts from Bluesky', () => {
  let journey: Awaited<ReturnType<typeof publishedJourney>>;
  let did: string;
  const stats = () => journey.stats();
  const execution = (post: JourneyPost) => journey.execution(post);
  const runImport = (at: Date) => journey.runImport(at);

  beforeAll(async () => {
    journey = await publishedJourney(fixtures, {
      userId: 'import-bsky',
      campaignName: 'Sky week',
      platform: 'bluesky',
      connect: async (token) => {
        did = await connectBluesky(stack, api, token, 'importer.test');
      },
    });
  }, 240_000);

  it('reads both posts at 1 h in one getPosts, once, with source platform, and the follower count', async () => {
    const [first, second] = journey.published;
    stack.bluesky!.setPostCounts((await execution(first)).platformPostId, { likeCount: 12, replyCount: 2, repostCount: 1 });
    stack.bluesky!.setPostCounts((await execution(second)).platformPostId, { likeCount: 3 });
    stack.bluesky!.setFollowers(did, 321);
    const at = new Date(Date.parse((await execution(second)).postedAt) + 61 * 60_000);
    const before = stack.bluesky!.appViewRequests()['app.bsky.feed.getPosts'] ?? 0;
    expect(await runImport(at)).toMatchObject({ due: 2, imported: 2, followers: { read: 1 } });
    expect(stack.bluesky!.appViewRequests()['app.bsky.feed.getPosts']).toBe(before + 1);
    expect(await execution(first)).toMatchObject({
      metrics: { likes: 12, comments: 2, shares: 1 },
      metricsCheckpoints: ['1h'],
      history: [expect.objectContaining({ source: 'platform' })],
    });
    expect(await runImport(new Date(at.getTime() + 60_000))).toMatchObject({ due: 0, followers: { read: 0 } });
    expect((await stats()).engagement).toMatchObject({ likes: 15, comments: 2, shares: 1 });
    expect(await journey.followerCounts()).toEqual([expect.objectContaining({ count: 321, source: 'platform' })]);
  });

  it('a manual number newer than the platform one wins, never added; the next checkpoint wins again', async () => {
    const [first] = journey.published;
    const confirmed = await api('POST', `/campaigns/${journey.campaignId}/confirm-day`, {
      token: journey.token,
      body: { day: first.day, platform: 'bluesky', posted: true, metrics: { likes: 5 } },
    });
    expect(confirmed.status).toBe(200);
    expect((await stats()).engagement.likes).toBe(5 + 3);
    stack.bluesky!.setPostCounts((await execution(first)).platformPostId, { likeCount: 20 });
    await runImport(new Date(Date.parse((await execution(first)).postedAt) + 24 * 3_600_000 + 60_000));
    expect(await execution(first)).toMatchObject({ metrics: { likes: 20 }, metricsCheckpoints: ['1h', '24h'] });
    expect((await stats()).engagement.likes).toBe(20 + 3);
  });

  it('the campaign completes and its outcome report reads the imported numbers', async () => {
    const [first, second] = journey.published;
    for (const post of [first, second]) expect((await execution(post)).history.at(-1)).toMatchObject({ source: 'platform' });
    const outcome = await journey.complete();
    expect(outcome.posts).toMatchObject({ posted: 2 });
    // The first post's 24 h import (20 likes) is newer than the creator's 5; the second's 1 h import (3 likes).
    expect(outcome.totals.likes).toBe(20 + 3);
    expect(outcome.bestPosts[0]).toMatchObject({ day: first.day, platform: 'bluesky' });
  });
});
