import { GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { claimActiveJob } from '../../shared/db/job-store';
import { keys, mediaPrefix } from '../../shared/db/keys';
import { hashApiKey } from '../../shared/domain/api-keys';
import { newJobId, progressOf } from '../../shared/domain/jobs';
import { deleteSteps } from '../../shared/schemas/vocabulary';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let db: DynamoDBDocumentClient;
let s3: S3Client;
const A = 'gdpr-alice';
const B = 'gdpr-bob';
const tokens: Record<string, string> = {};
/** Each creator's API key (secret and id). */
const apiKeys: Record<string, { key: string; keyId: string }> = {};

/** What DynamoDB Local holds in one partition, straight from the table. */
async function partition(pk: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery(
    { client: db },
    { TableName: stack.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true },
  )) {
    items.push(...(page.Items ?? []));
  }
  return items;
}
const keyOf = (item: Record<string, unknown>) => `${String(item.PK)}|${String(item.SK)}`;

/** Every key s3rver holds under a prefix, as current objects and as versions. */
async function objectKeys(prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
  return Contents.map((object) => object.Key!).sort();
}
async function versionCount(prefix: string): Promise<number> {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: stack.bucketName, Prefix: prefix }));
  return (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
}

async function creatorWithCampaign(userId: string) {
  const creator = await fixtures.creator(userId, { profile: { userName: userId } });
  const token = (tokens[userId] = creator.token);
  await creator.campaign({ name: 'Short week' }).generated();
  const webhook = await api('POST', '/webhooks', { token, body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['post.due'] } });
  expect(webhook.status).toBe(201);
  const apiKey = await api('POST', '/api-keys', { token, body: { name: 'integration', scopes: ['campaigns:read'] } });
  expect(apiKey.status).toBe(201);
  apiKeys[userId] = apiKey.body.data;
}

const jobOf = (userId: string, jobId: string) => api('GET', `/jobs/${jobId}`, { token: tokens[userId] });

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );
  s3 = new S3Client({ endpoint: stack.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  await Promise.all([creatorWithCampaign(A), creatorWithCampaign(B)]);
  await stack.asyncIdle();
}, 90_000);
afterAll(() => stack?.dispose());

describe('GDPR export', () => {
  it("zips every item and object of the creator and nothing of another's; two requests at once are one job", async () => {
    const [first, second] = await Promise.all([
      api('GET', '/account/export', { token: tokens[A] }),
      api('GET', '/account/export', { token: tokens[A] }),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.data).toMatchObject({ kind: 'export' });
    expect(second.body.data.jobId).toBe(first.body.data.jobId);

    const done = await pollUntil(
      () => jobOf(A, first.body.data.jobId),
      (res) => ['succeeded', 'failed'].includes(res.body.data?.status),
      'the export',
    );
    expect(done.body.data).toMatchObject({ status: 'succeeded', progress: { step: 'done', percent: 100 } });
    const { downloadUrl, objectKey } = done.body.data.result;
    expect(objectKey).toBe(mediaPrefix.export(A, first.body.data.jobId));
    const zip = unzipSync(new Uint8Array(await (await fetch(downloadUrl)).arrayBuffer()));

    const exported = JSON.parse(strFromU8(zip['items.json'])) as Record<string, unknown>[];
    const stored = await partition(keys.userPk(A));
    expect(exported.map(keyOf).sort()).toEqual(stored.map(keyOf).sort());
    // Every item but the export's own job (running while it was read) is exported exactly as stored.
    const jobSk = `JOB#${first.body.data.jobId}`;
    expect(exported.filter((item) => item.SK !== jobSk)).toEqual(stored.filter((item) => item.SK !== jobSk));
    expect(stored.some((item) => String(item.SK).startsWith('WEBHOOK#'))).toBe(true);
    expect(stored.some((item) => String(item.SK).startsWith('NOTIF#'))).toBe(true);

    const aObjects = await objectKeys(mediaPrefix.creator(A));
    expect(aObjects.length).toBeGreaterThan(0);
    const zippedObjects = Object.keys(zip)
      .filter((name) => name.startsWith('objects/'))
      .map((name) => name.slice('objects/'.length))
      .sort();
    expect(zippedObjects).toEqual(aObjects);
    const original = await s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: aObjects[0] }));
    expect(Buffer.from(zip[`objects/${aObjects[0]}`])).toEqual(Buffer.from(await original.Body!.transformToByteArray()));

    const everything = Object.values(zip)
      .map((bytes) => Buffer.from(bytes).toString('latin1'))
      .join('\n');
    expect(everything).not.toContain(B);
    // The API key's metadata is exported; neither the key nor its hash (the lookup item is outside the partition).
    expect(exported).toContainEqual(
      expect.objectContaining({ SK: `APIKEY#${apiKeys[A].keyId}`, name: 'integration', scopes: ['campaigns:read'] }),
    );
    expect(everything).not.toContain(apiKeys[A].key);
    expect(everything).not.toContain(hashApiKey(apiKeys[A].key));
  });
});

describe('GDPR deletion', () => {
  it('an interrupted deletion leaves the rest; DELETE /account finishes it with nothing of A left and B untouched', async () => {
    const bItems = (await partition(keys.userPk(B))).map(keyOf).sort();
    const bObjects = await objectKeys(mediaPrefix.creator(B));
    expect(bObjects.length).toBeGreaterThan(0);
    const aItemsBefore = (await partition(keys.userPk(A))).length;
    expect(aItemsBefore).toBeGreaterThan(25); // so one batch of 25 leaves some behind

    // A deletion whose worker dies after its third batch (the objects of users/ and exports/, then 25 items).
    const now = new Date().toISOString();
    const interrupted = {
      jobId: newJobId(),
      kind: 'delete' as const,
      status: 'queued' as const,
      progress: progressOf('queued', deleteSteps),
      createdAt: now,
      updatedAt: now,
    };
    expect(await claimActiveJob(stack.tableName, A, interrupted, undefined)).toBe(true);
    const { runAccountJob } = await import('../../shared/app/run-account-job');
    let batches = 0;
    const outcome = await runAccountJob(
      { TABLE_NAME: stack.tableName, MEDIA_BUCKET_NAME: stack.bucketName },
      { userId: A, jobId: interrupted.jobId },
      {
        afterBatch: () => {
          if (++batches === 3) throw new Error('forced failure after the first batch of items');
        },
      },
    );
    expect(outcome.status).toBe('failed');
    const left = await partition(keys.userPk(A));
    expect(left.length).toBe(aItemsBefore + 2 - 25); // + the job and its lock, - one batch of 25
    expect((await jobOf(A, interrupted.jobId)).body.data).toMatchObject({ status: 'failed', error: { code: 'DELETION_FAILED' } });

    const [first, second] = await Promise.all([
      api('DELETE', '/account', { token: tokens[A] }),
      api('DELETE', '/account', { token: tokens[A] }),
    ]);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(first.body.data).toMatchObject({ kind: 'delete' });
    expect(second.body.data.jobId).toBe(first.body.data.jobId);
    expect(first.body.data.jobId).not.toBe(interrupted.jobId);
    await stack.asyncIdle();

    // Checked before any further request of A's (a request may write its rate window).
    expect(await partition(keys.userPk(A))).toEqual([]);
    expect(await partition(`RATE#${A}`)).toEqual([]);
    expect(await partition(keys.apiKeyLookup(apiKeys[A].keyId).PK)).toEqual([]);
    expect(await versionCount(mediaPrefix.creator(A))).toBe(0);
    expect(await versionCount(mediaPrefix.exports(A))).toBe(0);
    expect(await objectKeys(`users/${A}`)).toEqual([]);
    expect((await jobOf(A, first.body.data.jobId)).body.error).toMatchObject({ code: 'JOB_NOT_FOUND' });

    expect((await partition(keys.userPk(B))).map(keyOf).sort()).toEqual(bItems);
    expect(await objectKeys(mediaPrefix.creator(B))).toEqual(bObjects);
    expect((await api('GET', '/profile', { token: tokens[B] })).status).toBe(200);
    // A's API key died with the account; B's still works.
    expect(await partition(keys.apiKeyLookup(apiKeys[B].keyId).PK)).toHaveLength(1);
    expect((await api('GET', '/campaigns', { token: apiKeys[A].key })).status).toBe(401);
    expect((await api('GET', '/campaigns', { token: apiKeys[B].key })).status).toBe(200);
  });
});
