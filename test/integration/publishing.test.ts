import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { scheduledEvent } from '../../dev/scheduler';
import { configuredKeyWrapper, sealSecret } from '../../shared/crypto/envelope-encryption';
import { putConnection } from '../../shared/db/connection-store';
import { dueShard, keys } from '../../shared/db/keys';
import { windowContaining } from '../../shared/domain/due-window';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { connectX, runPostingTrigger, tableClient } from '../support/platform-journey';

/**
 * Automatic publishing to X on the local stack: the posting trigger publishes approved posts of an
 * `auto` platform in the window containing their planned time, once; a 429 moves the post to the
 * next window; a timeout after X created the tweet is reconciled by its marker; under 20 concurrent
 * invocations of one window with injected timeouts, no post is published twice and none is lost silently.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  // An injected timeout drops the connection at once; a generous timeout keeps a starved machine's slow answers from reading as unknown.
  vi.stubEnv('CONNECTOR_TIMEOUT_MS', '30000');
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  db = tableClient(stack);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  vi.unstubAllEnvs();
});

const runWindow = (at: Date) => runPostingTrigger(stack, at);

describe('publishing to X automatically', () => {
  interface Post {
    day: number;
    platform: string;
    dueAt: string;
    status: string;
  }
  let token: string;
  let userId: string;
  let campaignId: string;
  let posts: Post[];
  const schedule = async (): Promise<Post[]> =>
    (await api('GET', `/campaigns/${campaignId}/schedule`, { token })).body.data.days.flatMap((day: { posts: Post[] }) => day.posts);
  const item = async (post: Post) =>
    (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.content(userId, campaignId, post.day, post.platform) }))).Item!;
  const tweetsOf = async (post: Post) => {
    const text = (await item(post)).post as string;
    return stack.x.tweets().filter((tweet) => tweet.text === text.trim());
  };

  beforeAll(async () => {
    const erin = await fixtures.creator('pub-erin');
    ({ token, userId } = erin);
    ({ campaignId } = await erin.campaign({ name: 'Publishing week', platforms: [{ platform: 'x', postsPerWeek: 5 }] }).generated());
    await connectX(api, token);
    const mode = await api('PUT', `/campaigns/${campaignId}/publishing/x`, { token, body: { mode: 'auto' } });
    expect(mode.body.data).toEqual({ campaignId, platform: 'x', mode: 'auto' });
    posts = (await schedule()).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    expect(posts.length).toBeGreaterThanOrEqual(4);
    for (const post of posts)
      expect(
        (await api('PATCH', `/campaigns/${campaignId}/content/${post.day}/x`, { token, body: { approval: { state: 'approved' } } })).status,
      ).toBe(200);
  }, 120_000);

  it('publishes the approved post of the window, once, and records its id, URL and source', async () => {
    const [first, second] = posts;
    const { start } = windowContaining(new Date(first.dueAt));
    await runWindow(new Date(start.getTime() + 60_000));
    await runWindow(new Date(start.getTime() + 120_000));
    expect(await tweetsOf(first)).toHaveLength(1);
    expect(await tweetsOf(second)).toHaveLength(0);
    const after = await schedule();
    expect(after.find((post) => post.day === first.day)?.status).toBe('posted');
    expect(after.find((post) => post.day === second.day)?.status).toBe('approved');
    const execution = (
      await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.execution(userId, campaignId, first.day, 'x') }))
    ).Item!;
    const [tweet] = await tweetsOf(first);
    expect(execution).toMatchObject({ source: 'published', platformPostId: tweet.id, url: expect.stringContaining(`/status/${tweet.id}`) });
    // The stored marker never holds a token; the reminders of remind mode are not sent for it.
    const due = (await api('GET', '/notifications?limit=100', { token })).body.data.filter((n: any) => n.type === 'post.due');
    expect(due).toHaveLength(0);
  });

  it('a 429 moves the post to the next window, counted, and it is published there', async () => {
    const post = posts[1];
    const { start, end } = windowContaining(new Date(post.dueAt));
    const dayCount = async () =>
      (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.publishCount(userId, 'x', start.toISOString().slice(0, 10)) })))
        .Item?.n ?? 0;
    const countBefore = await dayCount();
    stack.x.inject('createTweet', { kind: 'rate_limit', resetInSeconds: 1 });
    await runWindow(new Date(start.getTime() + 60_000));
    expect(await tweetsOf(post)).toHaveLength(0);
    expect((await item(post)).publish).toMatchObject({ state: 'deferred', deferrals: 1, retryAt: end.toISOString() });
    // X created nothing: the day's count toward the per-creator cap is given back.
    expect(await dayCount()).toBe(countBefore);
    await runWindow(new Date(end.getTime() + 60_000));
    expect(await tweetsOf(post)).toHaveLength(1);
    expect((await item(post)).publish).toMatchObject({ state: 'published', deferrals: 1 });
  });

  it('a timeout after X created the tweet is reconciled by the marker: published once, not sent again', async () => {
    const post = posts[2];
    const { start } = windowContaining(new Date(post.dueAt));
    stack.x.inject('createTweet', { kind: 'timeout_after_create' });
    await runWindow(new Date(start.getTime() + 60_000));
    expect(await tweetsOf(post)).toHaveLength(1);
    expect((await item(post)).publish).toMatchObject({ state: 'published' });
  });

  it('a tweet X refuses after a 5xx and cannot be found is unknown: notified, post.failed, left open, never resent', async () => {
    const post = posts[3];
    const { start } = windowContaining(new Date(post.dueAt));
    stack.x.inject('createTweet', { kind: 'server_error' });
    await runWindow(new Date(start.getTime() + 60_000));
    await runWindow(new Date(start.getTime() + 120_000));
    expect(await tweetsOf(post)).toHaveLength(0);
    expect((await item(post)).publish).toMatchObject({ state: 'unknown' });
    const failed = (await api('GET', '/notifications?limit=100', { token })).body.data.filter((n: any) => n.type === 'post.failed');
    expect(failed).toEqual([expect.objectContaining({ data: expect.objectContaining({ day: post.day, state: 'unknown' }) })]);
    expect(stack.publishedEvents().filter((event) => event.detailType === 'post.failed')).toHaveLength(1);
    // Still open: the creator confirms it by hand.
    const confirmed = await api('POST', `/campaigns/${campaignId}/confirm-day`, {
      token,
      body: { day: post.day, platform: 'x', posted: true },
    });
    expect(confirmed.status).toBe(200);
  });
});

describe('20 concurrent invocations of one window with timeouts after sending', () => {
  // 64 × 16 = 1,024 posts, the size.
  const CREATORS = 64;
  const POSTS_EACH = 16;

  it('publishes every due post at most once and loses none silently', async () => {
    const windowStart = new Date('2027-03-01T10:00:00.000Z');
    const dueAt = (i: number) => new Date(windowStart.getTime() + (i % 14) * 60_000).toISOString();
    const creators = await Promise.all(
      Array.from({ length: CREATORS }, async (_, c) => {
        const creator = await fixtures.creator(`load-${c}`, { profile: false });
        return creator;
      }),
    );
    // Connected as the callback would store them (the OAuth round trip itself is connections.test.ts's).
    for (const creator of creators) {
      const granted = stack.x.authorizeNewUser();
      await putConnection(stack.tableName, creator.userId, {
        platform: 'x',
        accountId: granted.userId,
        handle: granted.username,
        scopes: granted.scope.split(' '),
        status: 'active',
        connectedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        secretVersion: 1,
        sealed: await sealSecret(
          configuredKeyWrapper(),
          creator.userId,
          JSON.stringify({
            accessToken: granted.access_token,
            refreshToken: granted.refresh_token,
            expiresAt: new Date(Date.now() + granted.expires_in * 1000).toISOString(),
          }),
        ),
      });
    }
    const items: Record<string, unknown>[] = [];
    const expected: string[] = [];
    for (const [c, creator] of creators.entries()) {
      const campaignId = `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
      items.push({
        ...keys.campaign(creator.userId, campaignId),
        status: 'in_progress',
        name: `Load ${c}`,
        autoPublish: new Set(['x']),
      });
      for (let day = 1; day <= POSTS_EACH; day++) {
        const at = dueAt(c * POSTS_EACH + day);
        const text = `Load post ${c}/${day}: one thing I learned this week`;
        expected.push(text);
        items.push({
          ...keys.content(creator.userId, campaignId, day, 'x'),
          GSI1PK: keys.duePk(at.slice(0, 10), dueShard(creator.userId, campaignId)),
          GSI1SK: keys.dueSk(at.slice(11, 16), creator.userId, campaignId, 'x'),
          campaignId,
          day,
          platform: 'x',
          dueAt: at,
          post: text,
          title: `Load ${c}/${day}`,
          approval: { state: 'approved' },
          version: 1,
        });
      }
    }
    for (let i = 0; i < items.length; i += 25) {
      await db.send(
        new BatchWriteCommand({ RequestItems: { [stack.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }),
      );
    }

    stack.x.resetCounts();
    stack.x.injectRandomly('createTweet', { kind: 'timeout_after_create' }, 0.05);
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        invokeLocal(
          'functions/triggers/posting-trigger.ts',
          scheduledEvent('PostingSchedule', new Date(windowStart.getTime() + 60_000)),
          'PostingTrigger',
        ),
      ),
    );
    await stack.asyncIdle();
    const elapsedMs = Date.now() - started;
    stack.x.clearInjections();

    const perText = new Map<string, number>();
    for (const tweet of stack.x.tweets()) perText.set(tweet.text, (perText.get(tweet.text) ?? 0) + 1);
    const states: Record<string, number> = {};
    for (const [c, creator] of creators.entries()) {
      const campaignId = `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.userPk(creator.userId), ':prefix': keys.contentSkPrefix(campaignId) },
        }),
      );
      expect(Items).toHaveLength(POSTS_EACH);
      for (const item of Items) {
        const state = String(item.publish?.state ?? 'untouched');
        states[state] = (states[state] ?? 0) + 1;
      }
    }
    const publishedTwice = expected.filter((text) => (perText.get(text) ?? 0) > 1).length;
    const counts = stack.x.requestCounts();
    console.log(
      `concurrency: ${expected.length} posts, 20 trigger invocations (320 shard runs), ${elapsedMs} ms; states ${JSON.stringify(states)}; ` +
        `tweets ${stack.x.tweets().length}, published twice ${publishedTwice}; X requests ${JSON.stringify(counts)}`,
    );
    expect(publishedTwice).toBe(0);
    // Every post settled: published, or unknown with a notification. None claimed forever, none untouched.
    expect(Object.keys(states).filter((state) => state !== 'published' && state !== 'unknown')).toEqual([]);
    // A lookup that times out under load leaves a post `unknown` though X has it: told, never resent.
    expect(states.published).toBeLessThanOrEqual(stack.x.tweets().filter((tweet) => tweet.text.startsWith('Load post')).length);
    expect((states.published ?? 0) + (states.unknown ?? 0)).toBe(expected.length);
    const failedEvents = stack
      .publishedEvents()
      .filter((event) => event.detailType === 'post.failed' && JSON.stringify(event.detail).includes('Load '));
    expect(failedEvents.length).toBe(states.unknown ?? 0);
  }, 170_000);
});
