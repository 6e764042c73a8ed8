import { randomBytes, randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../dev/dynamodb';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { dueShard, keys, mediaPrefix } from '../../shared/db/keys';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let db: DynamoDBDocumentClient;
let alice: string;
let bob: string;

const cid = randomUUID();
const created = '2026-03-01T08:00:00.000Z';
const platforms = ['youtube', 'tiktok'] as const;
const thumbnailKey = `${mediaPrefix.campaign('alice', cid)}day-02-youtube.png`;
const thumbnailBytes = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(256)]);

const base = `/campaigns/${cid}/content`;
const itemPath = `${base}/3/youtube`;

/** A content item as the workflow writes it. */
function contentItem(day: number, platform: string) {
  const date = `2026-03-${String(day).padStart(2, '0')}`;
  return {
    ...keys.content('alice', cid, day, platform),
    GSI1PK: keys.duePk(date, dueShard('alice', cid)),
    GSI1SK: keys.dueSk('17:00', 'alice', cid, platform),
    campaignId: cid,
    day,
    platform,
    date,
    localTime: '18:00',
    dueAt: `${date}T17:00:00.000Z`,
    format: platform === 'youtube' ? 'long video' : 'short video',
    topic: `budgeting, day ${day}`,
    title: `Day ${day} on ${platform}`,
    script: { hook: 'Broke again?', body: 'Three envelopes.', cta: 'Follow for more' },
    post: 'Budgeting for students',
    seoTags: ['budget'],
    critique: { score: 8, reasons: ['clear hook'], rounds: 1 },
    approval: { state: 'pending' },
    version: 1,
    revisions: [],
    updatedAt: created,
    ...(day === 2 && platform === 'youtube' && { thumbnailKey }),
  };
}

const storedItem = async (day: number, platform: string) =>
  (await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.content('alice', cid, day, platform) }))).Item;

const setCampaignStatus = (status: string) =>
  db.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: keys.campaign('alice', cid),
      UpdateExpression: 'SET #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    }),
  );

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  [alice, bob] = await Promise.all([fixtures.token('alice'), fixtures.token('bob')]);
  db = DynamoDBDocumentClient.from(localClient(stack.dynamodbEndpoint));
  const put = (Item: Record<string, unknown>) => db.send(new PutCommand({ TableName: stack.tableName, Item }));
  await put({
    ...keys.campaign('alice', cid),
    GSI1PK: keys.campaignListPk('alice'),
    GSI1SK: keys.campaignListSk(created, cid),
    userId: 'alice',
    campaignId: cid,
    name: 'Spring budgeting',
    status: 'in_progress',
    version: 4,
    attempt: 1,
    createdAt: created,
    updatedAt: created,
  });
  await put({ ...keys.agentOutput('alice', cid, 'plan'), agent: 'plan', output: { days: 5 } });
  for (let day = 1; day <= 5; day++) for (const platform of platforms) await put(contentItem(day, platform));

  const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: thumbnailKey, Body: thumbnailBytes, ContentType: 'image/png' }));
  s3.destroy();
});
afterAll(async () => {
  db?.destroy();
  await stack?.dispose();
});

/** Every page of a listing, following nextCursor, as `day/platform` per page. */
async function allPages(query: Record<string, string>) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const res = await api('GET', `${base}?${new URLSearchParams({ ...query, ...(cursor && { cursor }) })}`, { token: alice });
    expect(res.status).toBe(200);
    pages.push(res.body.data.map(({ day, platform }: { day: number; platform: string }) => `${day}/${platform}`));
    cursor = res.body.meta.nextCursor;
  } while (cursor);
  return pages;
}

describe('listing a campaign’s content', () => {
  it('pages through a day range of one platform, never showing the header or agent outputs', async () => {
    expect(await allPages({ fromDay: '2', toDay: '4', platform: 'youtube', limit: '2' })).toEqual([
      ['2/youtube', '3/youtube'],
      ['4/youtube'],
    ]);
  });

  it('pages through a day range of every platform', async () => {
    expect(await allPages({ fromDay: '3', limit: '4' })).toEqual([
      ['3/tiktok', '3/youtube', '4/tiktok', '4/youtube'],
      ['5/tiktok', '5/youtube'],
    ]);
  });

  it('lists the whole campaign by default, days in order', async () => {
    const res = await api('GET', base, { token: alice });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(10);
    expect(res.body.data.map((item: { day: number }) => item.day)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(res.body.data[0]).not.toHaveProperty('PK');
    expect(res.body.meta).not.toHaveProperty('nextCursor');
  });

  it('hands out a presigned thumbnail URL that serves the image', async () => {
    const res = await api('GET', `${base}?fromDay=2&toDay=2&platform=youtube`, { token: alice });
    const [item] = res.body.data;
    expect(item.thumbnailKey).toBe(thumbnailKey);
    const image = await fetch(item.thumbnailUrl);
    expect(image.status).toBe(200);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(thumbnailBytes);
  });

  it('rejects a garbage cursor with 400 INVALID_CURSOR', async () => {
    const res = await api('GET', `${base}?cursor=definitely-not-a-cursor`, { token: alice });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });

  it('answers 404 CAMPAIGN_NOT_FOUND for a campaign that does not exist', async () => {
    const res = await api('GET', `/campaigns/${randomUUID()}/content`, { token: alice });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('reading and editing one content item', () => {
  it('GET returns the item with its version as ETag', async () => {
    const res = await api('GET', itemPath, { token: alice });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      campaignId: cid,
      day: 3,
      platform: 'youtube',
      title: 'Day 3 on youtube',
      version: 1,
      revisions: [],
    });
    expect(res.body.data).not.toHaveProperty('thumbnailUrl');
    expect(res.headers.get('etag')).toBe('"1"');
  });

  it('six edits keep the last five previous versions, newest first', async () => {
    for (let edit = 1; edit <= 6; edit++) {
      const res = await api('PATCH', itemPath, { token: alice, body: { title: `Title v${edit}` } });
      expect(res.status).toBe(200);
    }
    const { body } = await api('GET', itemPath, { token: alice });
    expect(body.data).toMatchObject({ title: 'Title v6', version: 7 });
    expect(body.data.revisions.map((revision: { version: number; title: string }) => [revision.version, revision.title])).toEqual([
      [6, 'Title v5'],
      [5, 'Title v4'],
      [4, 'Title v3'],
      [3, 'Title v2'],
      [2, 'Title v1'],
    ]);
    expect(body.data.revisions[0]).toMatchObject({ post: 'Budgeting for students', seoTags: ['budget'], at: expect.any(String) });
  });

  it('approves without adding a revision', async () => {
    const res = await api('PATCH', itemPath, { token: alice, body: { approval: { state: 'approved' } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ version: 8, approval: { state: 'approved', at: expect.any(String) } });
    expect(res.body.data.revisions[0].version).toBe(6);
  });

  it('refuses a rejection without a reason (400, nothing written), accepts one with a reason', async () => {
    const bare = await api('PATCH', itemPath, { token: alice, body: { approval: { state: 'rejected' } } });
    expect(bare.status).toBe(400);
    expect(bare.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain('body.approval.reason');
    expect((await storedItem(3, 'youtube'))?.version).toBe(8);

    const res = await api('PATCH', itemPath, { token: alice, body: { approval: { state: 'rejected', reason: 'The hook is too slow' } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ version: 9, approval: { state: 'rejected', reason: 'The hook is too slow' } });
  });

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const stale = await api('PATCH', itemPath, { token: alice, body: { post: 'stale edit' }, headers: { 'if-match': '"8"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { currentVersion: 9 } });
    expect((await storedItem(3, 'youtube'))?.post).toBe('Budgeting for students');

    const current = await api('PATCH', itemPath, { token: alice, body: { post: 'fresh edit' }, headers: { 'if-match': '"9"' } });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe('"10"');
  });

  it('concurrent edits never lose one another: each one is applied or refused with 409', async () => {
    const before = (await storedItem(4, 'tiktok'))!;
    const path = `${base}/4/tiktok`;
    const titles = ['A', 'B', 'C', 'D', 'E'].map((letter) => `Concurrent ${letter}`);
    const results = await Promise.all(titles.map((title) => api('PATCH', path, { token: alice, body: { title } })));
    for (const res of results) expect([200, 409]).toContain(res.status);
    const applied = titles.filter((_, i) => results[i].status === 200);
    expect(applied.length).toBeGreaterThan(0);

    const after = (await storedItem(4, 'tiktok'))!;
    expect(after.version).toBe(before.version + applied.length);
    const kept = [after.title, ...after.revisions.map((revision: { title: string }) => revision.title)];
    for (const title of applied) expect(kept).toContain(title);
  });
});

describe('another user', () => {
  it('gets 404 on all three routes and changes nothing', async () => {
    const before = await storedItem(3, 'youtube');
    const list = await api('GET', base, { token: bob });
    expect(list.status).toBe(404);
    expect(list.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    const get = await api('GET', itemPath, { token: bob });
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('CONTENT_NOT_FOUND');
    const patch = await api('PATCH', itemPath, { token: bob, body: { title: 'stolen', approval: { state: 'approved' } } });
    expect(patch.status).toBe(404);
    expect(patch.body.error.code).toBe('CONTENT_NOT_FOUND');
    expect(await storedItem(3, 'youtube')).toEqual(before);
  });

  it('cannot use the owner’s cursor', async () => {
    const first = await api('GET', `${base}?limit=1`, { token: alice });
    const res = await api('GET', `${base}?limit=1&cursor=${first.body.meta.nextCursor}`, { token: bob });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
  });
});

describe('a completed campaign', () => {
  it('refuses edits and approvals with 409 CAMPAIGN_STATE_CONFLICT, still reads', async () => {
    await setCampaignStatus('completed');
    const before = await storedItem(3, 'youtube');
    for (const body of [{ title: 'too late' }, { approval: { state: 'approved' } }]) {
      const res = await api('PATCH', itemPath, { token: alice, body });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'completed' } });
    }
    expect(await storedItem(3, 'youtube')).toEqual(before);
    expect((await api('GET', itemPath, { token: alice })).status).toBe(200);
    expect((await api('GET', base, { token: alice })).body.data).toHaveLength(10);
  });
});
