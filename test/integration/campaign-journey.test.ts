import { PutObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys, mediaPrefix } from '../../shared/db/keys';
import { campaignOnboarding, startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let alice: string;
let bob: string;
let campaignId: string;
let postsTotal: number;

const onboarding = campaignOnboarding({
  name: 'Spring budget series',
  durationDays: 14,
  platforms: [
    { platform: 'youtube', postsPerWeek: 2 },
    { platform: 'tiktok', postsPerWeek: 5 },
    { platform: 'x', postsPerWeek: 7 },
  ],
  competitors: ['@moneywithmo'],
});

async function collection(userId: string, id: string) {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.campaignSk(id) },
    }),
  );
  return Items;
}

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  alice = (await fixtures.creator('alice')).token;
  bob = await fixtures.token('bob');
});
afterAll(() => stack?.dispose());

describe('campaign journey: create → onboarding → start → generated → content → stats', () => {
  it('creates an empty shell', async () => {
    const res = await api('POST', '/campaigns', { token: alice, body: { name: 'Draft' } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'onboarding_incomplete', version: 1, attempt: 0, name: 'Draft' });
    expect(res.headers.get('etag')).toBe('"1"');
    campaignId = res.body.data.campaignId;
  });

  it('refuses to complete onboarding while fields are missing, naming them', async () => {
    const res = await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token: alice });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ONBOARDING_INCOMPLETE');
    expect(res.body.error.details.missingFields).toEqual(['goal', 'durationDays', 'startDate', 'platforms']);
  });

  it('refuses to start before onboarding is complete', async () => {
    const res = await api('POST', `/campaigns/${campaignId}/start`, { token: alice });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'onboarding_incomplete' } });
    expect(res.body.error.details.allowedActions).toContain('completeOnboarding');
  });

  it('takes the onboarding answers, then a stale If-Match is a 412 and nothing changes', async () => {
    const res = await api('PATCH', `/campaigns/${campaignId}/onboarding`, {
      token: alice,
      body: onboarding,
      headers: { 'if-match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ...onboarding, version: 2 });
    const stale = await api('PATCH', `/campaigns/${campaignId}`, {
      token: alice,
      body: { name: 'Lost update' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { currentVersion: 2 } });
    expect((await api('GET', `/campaigns/${campaignId}`, { token: alice })).body.data.name).toBe(onboarding.name);
  });

  it('rejects fields the creator does not own and out-of-range values', async () => {
    for (const body of [
      { status: 'completed' },
      { userId: 'bob' },
      { PK: 'USER#bob' },
      { durationDays: 365 },
      { platforms: [{ platform: 'myspace', postsPerWeek: 3 }] },
    ]) {
      const res = await api('PATCH', `/campaigns/${campaignId}`, { token: alice, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('completes onboarding, starts, and the workflow generates the plan', async () => {
    const ready = await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token: alice });
    expect(ready.status).toBe(200);
    expect(ready.body.data.status).toBe('ready_to_start');
    const started = await api('POST', `/campaigns/${campaignId}/start`, { token: alice, headers: { 'idempotency-key': 'start-1' } });
    expect(started.status).toBe(202);
    expect(started.body.data.campaign.status).toBe('generating');
    expect(started.body.data.execution.name).toContain(campaignId);
    const done = await pollUntil(
      () => api('GET', `/campaigns/${campaignId}`, { token: alice }),
      (res) => res.body.data.status !== 'generating',
      'generation',
    );
    expect(done.body.data).toMatchObject({ status: 'in_progress', timeZone: 'Europe/Paris' });
    expect(done.body.data.progress.postsTotal).toBeGreaterThan(0);
    expect(done.body.data.outputs.plan).toBeDefined();
    postsTotal = done.body.data.progress.postsTotal;
  });

  it('lists, edits and approves content, and stats count it', async () => {
    const list = await api('GET', `/campaigns/${campaignId}/content?platform=youtube`, { token: alice });
    expect(list.status).toBe(200);
    expect(list.body.data.length).toBeGreaterThan(0);
    const first = list.body.data[0];
    expect(first.platform).toBe('youtube');
    const path = `/campaigns/${campaignId}/content/${first.day}/${first.platform}`;
    const edited = await api('PATCH', path, { token: alice, body: { title: 'Budgeting in 5 minutes' } });
    expect(edited.status).toBe(200);
    const approved = await api('PATCH', path, { token: alice, body: { approval: { state: 'approved' } } });
    expect(approved.body.data).toMatchObject({ title: 'Budgeting in 5 minutes', approval: { state: 'approved' } });
    const stats = await api('GET', `/campaigns/${campaignId}/stats`, { token: alice });
    expect(stats.status).toBe(200);
    expect(stats.body.data.posts).toMatchObject({ approved: 1, posted: 0 });
    expect(stats.body.data.posts.planned).toBe(postsTotal);
  });
});

describe('listing', () => {
  it('paginates newest first with an opaque cursor and filters by status', async () => {
    for (const name of ['one', 'two', 'three']) await api('POST', '/campaigns', { token: alice, body: { name } });
    const first = await api('GET', '/campaigns?limit=2', { token: alice });
    expect(first.body.data.map((c: { name: string }) => c.name)).toEqual(['three', 'two']);
    const next = await api('GET', `/campaigns?limit=2&cursor=${first.body.meta.nextCursor}`, { token: alice });
    expect(next.body.data.map((c: { name: string }) => c.name)).toEqual(['one', 'Spring budget series']);
    const running = await api('GET', '/campaigns?status=in_progress', { token: alice });
    expect(running.body.data.map((c: { campaignId: string }) => c.campaignId)).toEqual([campaignId]);
  });

  it('refuses limit=10000, a garbage cursor and a cursor from another user', async () => {
    expect((await api('GET', '/campaigns?limit=10000', { token: alice })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api('GET', '/campaigns?cursor=garbage', { token: alice })).body.error.code).toBe('INVALID_CURSOR');
    const aliceCursor = (await api('GET', '/campaigns?limit=1', { token: alice })).body.meta.nextCursor;
    const res = await api('GET', `/campaigns?cursor=${aliceCursor}`, { token: bob });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });

  it('refuses an invalid id with 400', async () => {
    const res = await api('GET', '/campaigns/not-a-uuid', { token: alice });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('path.id');
  });
});

describe('delete', () => {
  it('refuses a running campaign, and removes every item and media object of a completed one', async () => {
    const s3 = new S3Client({
      endpoint: stack.s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const prefix = mediaPrefix.campaign('alice', campaignId);
    await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: `${prefix}thumbs/1-youtube.png`, Body: 'png' }));
    await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: `${prefix}thumbs/2-x.png`, Body: 'png' }));
    // in_progress campaigns cannot be deleted; complete it the way the completion route will.
    const refused = await api('DELETE', `/campaigns/${campaignId}`, { token: alice });
    expect(refused.status).toBe(409);
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.campaign('alice', campaignId),
        UpdateExpression: 'SET #s = :completed',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed' },
      }),
    );
    expect((await collection('alice', campaignId)).length).toBeGreaterThan(10);
    const res = await api('DELETE', `/campaigns/${campaignId}`, { token: alice });
    expect(res.status).toBe(204);
    expect(await collection('alice', campaignId)).toEqual([]);
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
    expect(Contents).toEqual([]);
    expect((await api('GET', `/campaigns/${campaignId}`, { token: alice })).status).toBe(404);
    expect((await api('DELETE', `/campaigns/${campaignId}`, { token: alice })).status).toBe(404);
    s3.destroy();
  });
});
