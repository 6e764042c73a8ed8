import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeStateMachineCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stateMachinesFromTemplate } from '../../infra/asl';
import { localClient } from '../../dev/dynamodb';
import { invokeLocal } from '../../dev/lambda-runtime';
import { LOCAL_ACCOUNT, LOCAL_REGION, scheduledEvent } from '../../dev/scheduler';
import { synthesizeTemplate } from '../../infra/synth';
import { dynamo } from '../../shared/db/client';
import { dueShard, keys, mediaPrefix } from '../../shared/db/keys';
import { apiClient, startTestStack } from '../support/local-stack';
import { generatingCampaignHeader, runExecution } from '../support/workflow-campaign';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let sfn: SFNClient;
let s3: S3Client;

const USER = 'creator-1';
/** 14 days from Monday 22 March 2027 in Tokyo: youtube 3 + instagram 5 + x 7 a week = 6 + 10 + 14 posts. */
const POSTS_TOTAL = 30;

beforeAll(async () => {
  stack = await startTestStack();
  // The handlers' own way of reaching Step Functions: the SDK reads AWS_ENDPOINT_URL_SFN.
  sfn = new SFNClient({});
  s3 = new S3Client({ forcePathStyle: true });
});
afterAll(async () => {
  sfn?.destroy();
  s3?.destroy();
  await stack?.dispose();
});

/** A campaign header as the start route leaves it: generating, with its attempt and the frozen profile. */
async function seedCampaign(overrides: Record<string, unknown> = {}) {
  const campaignId = randomUUID();
  const header = generatingCampaignHeader(USER, campaignId, overrides);
  await dynamo.send(new PutCommand({ TableName: stack.tableName, Item: header }));
  return { campaignId, header };
}

async function stored(campaignId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: stack.tableName, Key: keys.campaign(USER, campaignId), ConsistentRead: true }),
  );
  return Item!;
}

async function contentOf(campaignId: string) {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(USER), ':prefix': keys.contentSkPrefix(campaignId) },
    }),
  );
  return Items;
}

const execute = (campaignId: string, attempt: number, name = `${campaignId}-a${attempt}`) =>
  runExecution(sfn, stack.stateMachineArn, { userId: USER, campaignId, attempt }, name);

describe('the campaign workflow on the local Step Functions endpoint', () => {
  it('runs the definition synthesized by CDK, unchanged', async () => {
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stack.stateMachineArn }));
    const [synthesized] = stateMachinesFromTemplate(synthesizeTemplate(), { region: LOCAL_REGION, account: LOCAL_ACCOUNT });
    expect(JSON.parse(definition!)).toEqual(synthesized.definition);
    expect(process.env.AWS_ENDPOINT_URL_SFN).toBe(stack.sfnEndpoint);
  });

  describe('a generating campaign', () => {
    let campaignId: string;
    let execution: DescribeExecutionCommandOutput;

    beforeAll(async () => {
      ({ campaignId } = await seedCampaign());
      execution = await execute(campaignId, 1);
    });

    it('succeeds with ids and the post count only, and the campaign is in_progress and ready', async () => {
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output!)).toEqual({ userId: USER, campaignId, attempt: 1, postsTotal: POSTS_TOTAL });
      const header = await stored(campaignId);
      expect(header).toMatchObject({
        status: 'in_progress',
        version: 5,
        progress: { step: 'ready', postsTotal: POSTS_TOTAL, postsDone: POSTS_TOTAL, batchesTotal: 2, batchesDone: 2, models: ['offline'] },
      });
      expect(header.progress.critiqueRounds).toBeGreaterThanOrEqual(2);
      expect(header.progress).toMatchObject({ weeksTotal: 2, weeksReady: expect.arrayContaining([1, 2]) });
      // context, forensics, strategist, a planner call per platform, then per week and round its
      // writer chunks (week 1: 5, week 2: 3) and a critic call; rewrite rounds write fewer chunks.
      expect(header.usage.llmCalls).toBeGreaterThanOrEqual(16);
      expect(header.usage.llmCalls).toBeLessThanOrEqual(40);
      expect(header.usage).toMatchObject({
        images: POSTS_TOTAL,
        costMicroUsd: 0,
        tokensIn: expect.any(Number),
        tokensOut: expect.any(Number),
      });
      expect(header.usage.tokensIn).toBeGreaterThan(0);
    });

    it('stores the agent outputs, and every post is written, critiqued and has its topic', async () => {
      for (const agent of ['context', 'forensics', 'strategy', 'plan', 'topics-youtube-w01', 'topics-instagram-w01', 'topics-x-w01']) {
        const { Item } = await dynamo.send(
          new GetCommand({ TableName: stack.tableName, Key: keys.agentOutput(USER, campaignId, agent), ConsistentRead: true }),
        );
        expect(Item, agent).toMatchObject({ agent, attempt: 1, output: expect.anything() });
      }
      for (const item of await contentOf(campaignId)) {
        const post = `day ${item.day} ${item.platform}`;
        expect(item, post).toMatchObject({
          pillar: expect.any(String),
          topic: expect.any(String),
          title: expect.any(String),
          post: expect.any(String),
          cta: expect.any(String),
          thumbnailPrompt: expect.any(String),
        });
        expect(item.critique, post).toMatchObject({ score: expect.any(Number), reasons: expect.any(Array), rounds: expect.any(Number) });
        expect(item.version, post).toBe(1);
      }
    });

    it('has one content item per post, each ready and in the due-post index at its UTC time', async () => {
      const items = await contentOf(campaignId);
      expect(items).toHaveLength(POSTS_TOTAL);
      const first = items.find((item) => item.day === 1 && item.platform === 'youtube')!;
      expect(first).toMatchObject({
        date: '2027-03-22',
        localTime: '17:00',
        dueAt: '2027-03-22T08:00:00.000Z', // Tokyo is UTC+9
        format: 'video',
        approval: { state: 'pending' },
        version: 1,
        revisions: [],
        GSI1PK: keys.duePk('2027-03-22', dueShard(USER, campaignId)),
        GSI1SK: keys.dueSk('08:00', USER, campaignId, 'youtube'),
      });
      for (const item of items) {
        expect(item.GSI1SK).toBe(keys.dueSk(String(item.dueAt).slice(11, 16), USER, campaignId, String(item.platform)));
        expect(item.readyAt).toEqual(expect.any(String));
      }

      // Every post has its thumbnail in the media bucket, a PNG of the platform's size.
      for (const item of items) {
        const day = String(item.day).padStart(2, '0');
        expect(item.thumbnailKey).toBe(`${mediaPrefix.campaign(USER, campaignId)}thumbnails/${day}-${item.platform}.png`);
        const object = await s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: item.thumbnailKey }));
        expect(object.ContentType).toBe('image/png');
        const bytes = await object.Body!.transformToByteArray();
        expect(Buffer.from(bytes.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
      }

      const trigger = await invokeLocal(
        'functions/triggers/posting-trigger.ts',
        scheduledEvent('PostingSchedule', new Date('2027-03-22T08:05:00Z')),
      );
      expect(trigger).toMatchObject({ windowStart: '2027-03-22T08:00:00.000Z', shards: 16 });
      await stack.asyncIdle();
      const due = (await contentOf(campaignId)).filter((item) => item.postStatus === 'due');
      expect(due.map((item) => `${item.day}/${item.platform}`)).toEqual(['1/youtube']);
    });

    it('shows the plan summary as an agent output on GET /campaigns/{id}', async () => {
      const res = await apiClient(stack.apiUrl)('GET', `/campaigns/${campaignId}`, { token: await stack.token(USER) });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        status: 'in_progress',
        timeZone: 'Asia/Tokyo',
        outputs: { plan: { posts: POSTS_TOTAL, perPlatform: { youtube: 6, instagram: 10, x: 14 }, timesSource: 'platform-default' } },
        progress: { step: 'ready', batchesDone: 2 },
      });
      expect(Object.keys(res.body.data.outputs).sort()).toEqual([
        'context',
        'forensics',
        'plan',
        'strategy',
        'topics-instagram-w01',
        'topics-instagram-w02',
        'topics-x-w01',
        'topics-x-w02',
        'topics-youtube-w01',
        'topics-youtube-w02',
      ]);
    });

    it('run again under a new name: fails without touching anything, and creates no duplicates', async () => {
      const before = await stored(campaignId);
      const again = await execute(campaignId, 1, `${campaignId}-again`);
      expect(again.status).toBe('FAILED');
      expect(again.error).toBe('CampaignNotGenerating');
      expect(await stored(campaignId)).toEqual(before);
      expect(await contentOf(campaignId)).toHaveLength(POSTS_TOTAL);
      // Finalize retried after it had finished is a successful no-op.
      await expect(invokeLocal('functions/agents/finalize.ts', { userId: USER, campaignId, attempt: 1 })).resolves.toEqual({
        userId: USER,
        campaignId,
        attempt: 1,
        postsTotal: POSTS_TOTAL,
      });
      expect(await stored(campaignId)).toEqual(before);
    });

    it('re-running a stage pays for nothing again and duplicates nothing', async () => {
      // Back to generating, as if the execution had been interrupted after these tasks.
      await dynamo.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: keys.campaign(USER, campaignId),
          UpdateExpression: 'SET #s = :g',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':g': 'generating' },
        }),
      );
      const before = await stored(campaignId);
      const contentBefore = await contentOf(campaignId);
      const ref = { userId: USER, campaignId, attempt: 1 };
      for (const entry of ['context', 'forensics', 'strategist']) await invokeLocal(`functions/agents/${entry}.ts`, ref);
      // Every week is ready: the Planner keeps them all and leaves the Weeks Map nothing to do.
      await expect(invokeLocal('functions/agents/planner.ts', ref)).resolves.toMatchObject({ postsTotal: POSTS_TOTAL, batches: [] });
      await expect(invokeLocal('functions/agents/thumbnail.ts', { ...ref, week: 1 })).resolves.toMatchObject({ week: 1, rendered: 0 });
      const after = await stored(campaignId);
      expect(after.usage).toEqual(before.usage);
      // Only the step and the weeks left to generate moved; no counter was added to twice, no week listed twice.
      // Weeks generate side by side, so weeksReady's order is the order they finished in; the Planner re-lists them sorted.
      const sortedWeeks = (progress: { weeksReady: number[] }) => ({ ...progress, weeksReady: [...progress.weeksReady].sort() });
      expect(sortedWeeks({ ...after.progress, step: 'ready', batchesTotal: 2 })).toEqual(sortedWeeks(before.progress));
      expect(after.progress.batchesTotal).toBe(0);
      const contentAfter = await contentOf(campaignId);
      expect(contentAfter).toHaveLength(POSTS_TOTAL);
      const text = (items: Record<string, unknown>[]) =>
        items.map(({ title, post, cta, critique, thumbnailKey }) => ({ title, post, cta, critique, thumbnailKey }));
      expect(text(contentAfter)).toEqual(text(contentBefore));
    });
  });

  it('the Planner run twice creates each item once and keeps an edit made in between', async () => {
    const { campaignId } = await seedCampaign();
    const ref = { userId: USER, campaignId, attempt: 1 };
    for (const entry of ['load-context', 'context', 'forensics', 'strategist']) await invokeLocal(`functions/agents/${entry}.ts`, ref);
    await expect(invokeLocal('functions/agents/planner.ts', ref)).resolves.toMatchObject({
      ...ref,
      postsTotal: POSTS_TOTAL,
      batches: [{ week: 1 }, { week: 2 }],
    });
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.content(USER, campaignId, 1, 'youtube'),
        UpdateExpression: 'SET title = :title, version = :two',
        ExpressionAttributeValues: { ':title': 'My own title', ':two': 2 },
      }),
    );
    await expect(invokeLocal('functions/agents/planner.ts', ref)).resolves.toMatchObject({
      ...ref,
      postsTotal: POSTS_TOTAL,
      batches: [{ week: 1 }, { week: 2 }],
    });

    expect((await execute(campaignId, 1)).status).toBe('SUCCEEDED');
    const items = await contentOf(campaignId);
    expect(items).toHaveLength(POSTS_TOTAL);
    const edited = items.find((item) => item.day === 1 && item.platform === 'youtube')!;
    expect(edited).toMatchObject({ title: 'My own title', version: 2 });
    expect(edited.post).toBeUndefined(); // the writer never touched it
    // The research outputs were stored by the direct runs: the execution reused them.
    expect((await stored(campaignId)).usage.llmCalls).toBeLessThanOrEqual(40);
  });

  it('a retried Write or Critique pays for its call once and writes each post once', async () => {
    const { campaignId } = await seedCampaign();
    const ref = { userId: USER, campaignId, attempt: 1 };
    for (const entry of ['load-context', 'context', 'forensics', 'strategist', 'planner'])
      await invokeLocal(`functions/agents/${entry}.ts`, ref);
    const calls = async () => (await stored(campaignId)).usage.llmCalls as number;
    const planned = await calls();
    expect(planned).toBe(9); // context, forensics, strategist, a planner call per platform and week (2 weeks)
    // Week 1's writer chunks: youtube 3 posts in 2, instagram 5 in 2, x 7 in 1 (FIRST_WEEK_CHUNK_TOKENS).
    const chunks = 5;

    const batch = { ...ref, week: 1, round: 0 };
    await expect(invokeLocal('functions/agents/writer.ts', batch)).resolves.toMatchObject({ ...batch, written: 15 });
    const withoutTime = (items: Record<string, unknown>[]) => items.map(({ updatedAt: _at, ...item }) => item);
    const written = withoutTime(await contentOf(campaignId));
    await expect(invokeLocal('functions/agents/writer.ts', batch)).resolves.toMatchObject({ written: 15 });
    expect(await calls()).toBe(planned + chunks);
    expect(withoutTime(await contentOf(campaignId))).toEqual(written);

    const first = await invokeLocal('functions/agents/critic.ts', batch);
    expect(first).toMatchObject({ ...batch, minScore: expect.any(Number), critiqueBar: 7, maxRounds: 2 });
    const progress = (await stored(campaignId)).progress;
    await expect(invokeLocal('functions/agents/critic.ts', batch)).resolves.toEqual(first);
    expect(await calls()).toBe(planned + chunks + 1);
    expect((await stored(campaignId)).progress).toEqual(progress);
    expect(await contentOf(campaignId)).toHaveLength(POSTS_TOTAL);
  });

  it('a stale attempt fails with StaleAttempt and changes nothing', async () => {
    const { campaignId, header } = await seedCampaign({ attempt: 2 });
    const execution = await execute(campaignId, 1);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('StaleAttempt');
    expect(await stored(campaignId)).toEqual(header);
    expect(await contentOf(campaignId)).toEqual([]);
  });

  it('a campaign that cannot be planned ends failed at the Strategist, with the step, code and message', async () => {
    const { campaignId } = await seedCampaign({ durationDays: 0 });
    const execution = await execute(campaignId, 1);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidCampaign');
    expect(execution.cause).toMatch(/durationDays/);
    expect(await stored(campaignId)).toMatchObject({
      status: 'failed',
      version: 5,
      progress: { step: 'strategy' },
      failure: { step: 'Strategist', code: 'InvalidCampaign', message: execution.cause, at: expect.any(String) },
    });
    expect(await contentOf(campaignId)).toEqual([]);
  });
});

describe('the posting trigger', () => {
  it('finds the posts due in its window through the sharded GSI1, across creators', async () => {
    const client = localClient(stack.dynamodbEndpoint);
    const due = [
      ['creator-1', 'camp-1', 'youtube', '09:05'],
      ['creator-2', 'camp-9', 'tiktok', '09:14'],
      ['creator-3', 'camp-7', 'x', '09:15'], // next window
    ];
    for (const [userId, campaignId, platform, time] of due) {
      await client.send(
        new PutItemCommand({
          TableName: stack.tableName,
          Item: {
            PK: { S: keys.userPk(userId) },
            SK: { S: `CAMP#${campaignId}#DAY#01#${platform}` },
            GSI1PK: { S: keys.duePk('2026-11-23', dueShard(userId, campaignId)) },
            GSI1SK: { S: `${time}#${userId}#${campaignId}#${platform}` },
          },
        }),
      );
    }
    client.destroy();
    const result = await invokeLocal(
      'functions/triggers/posting-trigger.ts',
      scheduledEvent('PostingSchedule', new Date('2026-11-23T09:07:00Z')),
    );
    expect(result).toEqual({ windowStart: '2026-11-23T09:00:00.000Z', windowEnd: '2026-11-23T09:15:00.000Z', shards: 16 });
    await stack.asyncIdle();
    // These bare index entries are no content items: each shard worker finds its own and reports it skipped.
    const range = { day: '2026-11-23', from: '09:00', to: '09:15' };
    const reports = await Promise.all(
      [...new Set(due.map(([userId, campaignId]) => dueShard(userId, campaignId)))].map(
        (shard) =>
          invokeLocal('functions/triggers/posting-shard.ts', { windowStart: '2026-11-23T09:00:00.000Z', range, shard }) as Promise<{
            skipped: { key: string }[];
          }>,
      ),
    );
    expect(reports.flatMap((report) => report.skipped.map((entry) => entry.key)).sort()).toEqual([
      `${keys.userPk('creator-1')} CAMP#camp-1#DAY#01#youtube`,
      `${keys.userPk('creator-2')} CAMP#camp-9#DAY#01#tiktok`,
    ]);
    expect(stack.scheduleRules.map((rule) => rule.scheduleExpression)).toEqual(['rate(15 minutes)', 'rate(1 hour)']);
  });
});
