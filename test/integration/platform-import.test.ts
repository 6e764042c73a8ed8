import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';
import { connectX, publishedJourney, type JourneyPost } from '../support/platform-journey';

/**
 * The scheduled metrics import on the local stack, X against the local X server: a post published
 * automatically is read at its checkpoints (1 h, 24 h, …) in one batched lookup, each checkpoint
 * once; the numbers land with `source: platform` in the stats and the outcome report beside the
 * creator's own, the newer wins and they are never added; follower counts daily; a refused refresh
 * marks the connection needs_reauth and the import skips it; the campaign completes with an outcome
 * report built from the imported numbers.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;

beforeAll(async () => {
  vi.stubEnv('CONNECTOR_TIMEOUT_MS', '1500');
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  vi.unstubAllEnvs();
});

describe('importing metrics and follower counts from X', () => {
  let journey: Awaited<ReturnType<typeof publishedJourney>>;
  const stats = () => journey.stats();
  const execution = (post: JourneyPost) => journey.execution(post);
  const runImport = (at: Date) => journey.runImport(at);

  beforeAll(async () => {
    journey = await publishedJourney(fixtures, {
      userId: 'import-ida',
      campaignName: 'Import week',
      platform: 'x',
      connect: (token) => connectX(api, token),
    });
  }, 180_000);

  it('reads both posts at 1 h in one lookup, once, with source platform; follower count once a day', async () => {
    const [first, second] = journey.published;
    for (const [post, likes] of [
      [first, 40],
      [second, 2],
    ] as const)
      stack.x.setMetrics((await execution(post)).platformPostId, { like_count: likes, reply_count: 3, impression_count: 900 });
    stack.x.setFollowers(1234);
    const lastPostedAt = (await execution(second)).postedAt as string;
    const at = new Date(Date.parse(lastPostedAt) + 61 * 60_000);
    stack.x.resetCounts();
    const report = await runImport(at);
    expect(report).toMatchObject({ due: 2, imported: 2, followers: { read: 1 } });
    expect(stack.x.requestCounts()['GET /2/tweets']).toBe(1);
    expect(await execution(first)).toMatchObject({
      metrics: { likes: 40, comments: 3, views: 900 },
      metricsCheckpoints: ['1h'],
      history: [expect.objectContaining({ source: 'platform' })],
    });
    // The same hour again: nothing is due, nothing fetched twice.
    expect(await runImport(new Date(at.getTime() + 60_000))).toMatchObject({ due: 0, imported: 0, followers: { read: 0 } });
    expect(stack.x.requestCounts()['GET /2/tweets']).toBe(1);
    expect((await stats()).engagement).toMatchObject({ likes: 42, comments: 6 });
    expect(await journey.followerCounts()).toEqual([
      expect.objectContaining({ count: 1234, source: 'platform', date: at.toISOString().slice(0, 10) }),
    ]);
  });

  it('a manual number newer than the platform one wins, and the two are never added; the next checkpoint wins again', async () => {
    const [first] = journey.published;
    const confirmed = await api('POST', `/campaigns/${journey.campaignId}/confirm-day`, {
      token: journey.token,
      body: { day: first.day, platform: 'x', posted: true, metrics: { likes: 7 } },
    });
    expect(confirmed.status).toBe(200);
    expect((await stats()).engagement.likes).toBe(7 + 2);
    stack.x.setMetrics((await execution(first)).platformPostId, { like_count: 50 });
    const report = await runImport(new Date(Date.parse((await execution(first)).postedAt) + 24 * 3_600_000 + 60_000));
    expect(report.imported).toBeGreaterThanOrEqual(1);
    expect(await execution(first)).toMatchObject({ metrics: { likes: 50 }, metricsCheckpoints: ['1h', '24h'] });
    expect((await stats()).engagement.likes).toBe(50 + 2);
  });

  it('a refused refresh marks the connection needs_reauth; the import then skips it and passes the checkpoint', async () => {
    const [, second] = journey.published;
    stack.x.revokeUser((await api('GET', '/connections', { token: journey.token })).body.data[0].accountId);
    const at = new Date(Date.parse((await execution(second)).postedAt) + 72 * 3_600_000 + 60_000);
    const report = await runImport(at);
    expect(report.imported).toBe(0);
    const [connection] = (await api('GET', '/connections', { token: journey.token })).body.data;
    expect(connection.status).toBe('needs_reauth');
    // Both posts went out seconds apart: the second's 24 h checkpoint was read with the first's.
    expect((await execution(second)).metricsCheckpoints).toEqual(['1h', '24h', '72h']);
    expect((await runImport(new Date(at.getTime() + 3_600_000))).followers).toMatchObject({ read: 0 });
    await pollUntil(
      async () => (await api('GET', '/notifications?limit=100', { token: journey.token })).body.data,
      (notifications: { type: string }[]) => notifications.some((n) => n.type === 'connection.needs_reauth'),
      'the needs_reauth notification',
    );
  });

  it('the campaign completes and its outcome report reads the imported numbers', async () => {
    const [first, second] = journey.published;
    for (const post of [first, second]) expect((await execution(post)).history.at(-1)).toMatchObject({ source: 'platform' });
    const outcome = await journey.complete();
    expect(outcome.posts).toMatchObject({ posted: 2 });
    // The first post's 24 h import (50 likes) is newer than the creator's 7; the second's 1 h import (2 likes).
    expect(outcome.totals).toMatchObject({ likes: 50 + 2, comments: 3 + 3, views: 900 + 900 });
    expect(outcome.bestPosts[0]).toMatchObject({ day: first.day, platform: 'x' });
  });
});
