import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { scheduledEvent } from '../../dev/scheduler';
import { keys } from '../../shared/db/keys';
import { windowContaining } from '../../shared/domain/due-window';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

/**
 * The scheduled metrics import from Bluesky on the local stack: posts published automatically as
 * real records on the reference PDS, their counts read from the local App View (getPosts, 25 URIs
 * a request) at their checkpoints with `source: platform`, the follower count once a day; a
 * manual number newer than the platform's wins and they are never added.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  fixtures = await startFixtures({ bluesky: true });
  ({ stack, api } = fixtures);
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
});

const runImport = async (at: Date) => {
  const report = await invokeLocal('functions/triggers/platform-import.ts', scheduledEvent('PlatformImportSchedule', at), 'PlatformImport');
  await stack.asyncIdle();
  return report as { due: number; imported: number; passed: number; retried: number; followers: Record<string, number> };
};

describe('importing metrics and follower counts from Bluesky', () => {
  interface Post {
    day: number;
    dueAt: string;
  }
  let token: string;
  let userId: string;
  let did: string;
  let campaignId: string;
  let published: Post[];
  const execution = async (post: Post) =>
    (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.execution(userId, campaignId, post.day, 'bluesky') }))).Item!;
  const stats = async () => (await api('GET', `/campaigns/${campaignId}/stats`, { token })).body.data;

  beforeAll(async () => {
    const creator = await fixtures.creator('import-bsky');
    ({ token, userId } = creator);
    ({ campaignId } = await creator.campaign({ name: 'Sky week', platforms: [{ platform: 'bluesky', postsPerWeek: 5 }] }).generated());
    const account = await stack.bluesky!.createAccount('importer.test');
    did = account.did;
    const connected = await api('POST', '/connections/bluesky', {
      token,
      body: { handle: 'importer.test', appPassword: account.appPassword },
    });
    expect(connected.status).toBe(200);
    expect((await api('PUT', `/campaigns/${campaignId}/publishing/bluesky`, { token, body: { mode: 'auto' } })).status).toBe(200);
    const schedule = (await api('GET', `/campaigns/${campaignId}/schedule`, { token })).body.data.days.flatMap(
      (day: { posts: Post[] }) => day.posts,
    ) as Post[];
    published = schedule.sort((a, b) => a.dueAt.localeCompare(b.dueAt)).slice(0, 2);
    for (const post of published) {
      await api('PATCH', `/campaigns/${campaignId}/content/${post.day}/bluesky`, { token, body: { approval: { state: 'approved' } } });
      const { start } = windowContaining(new Date(post.dueAt));
      await invokeLocal(
        'functions/triggers/posting-trigger.ts',
        scheduledEvent('PostingSchedule', new Date(start.getTime() + 60_000)),
        'PostingTrigger',
      );
      await stack.asyncIdle();
      expect((await execution(post)).source).toBe('published');
    }
  }, 240_000);

  it('reads both posts at 1 h in one getPosts, once, with source platform, and the follower count', async () => {
    const [first, second] = published;
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
    const followers = await db.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.followerCountPrefix('bluesky') },
      }),
    );
    expect(followers.Items).toEqual([expect.objectContaining({ count: 321, source: 'platform' })]);
  });

  it('a manual number newer than the platform one wins, never added; the next checkpoint wins again', async () => {
    const [first] = published;
    const confirmed = await api('POST', `/campaigns/${campaignId}/confirm-day`, {
      token,
      body: { day: first.day, platform: 'bluesky', posted: true, metrics: { likes: 5 } },
    });
    expect(confirmed.status).toBe(200);
    expect((await stats()).engagement.likes).toBe(5 + 3);
    stack.bluesky!.setPostCounts((await execution(first)).platformPostId, { likeCount: 20 });
    await runImport(new Date(Date.parse((await execution(first)).postedAt) + 24 * 3_600_000 + 60_000));
    expect(await execution(first)).toMatchObject({ metrics: { likes: 20 }, metricsCheckpoints: ['1h', '24h'] });
    expect((await stats()).engagement.likes).toBe(20 + 3);
  });
});
