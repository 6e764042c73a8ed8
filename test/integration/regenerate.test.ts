import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let creator: Creator;
let alice: string;
let bob: string;
let campaignId: string;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('alice');
  alice = creator.token;
  bob = await fixtures.token('bob');
  ({ campaignId } = await creator.campaign({ name: 'Regeneration week' }).ready());
}, 60_000);
afterAll(() => stack?.dispose());

describe('regenerating one post as a job', () => {
  it('refuses while the campaign is not in_progress (409 with the allowed actions)', async () => {
    const res = await api('POST', `/campaigns/${campaignId}/content/1/youtube/regenerate`, { token: alice, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', details: { currentStatus: 'ready_to_start' } });
    expect(res.body.error.details.allowedActions).toEqual(expect.any(Array));
  });

  it('regenerates a post of a generated campaign in the background', async () => {
    await creator.start(campaignId);
    await creator.generation(campaignId);
    const listed = await api('GET', `/campaigns/${campaignId}/content`, { token: alice });
    const before = listed.body.data[0];
    expect(before.post).toEqual(expect.any(String));
    const usageBefore = (await api('GET', `/campaigns/${campaignId}/stats`, { token: alice })).body.data;
    const path = `/campaigns/${campaignId}/content/${before.day}/${before.platform}`;

    const instructions = 'Open with a surprising number and end with a question.';
    const started = await api('POST', `${path}/regenerate`, {
      token: alice,
      body: { instructions },
      headers: { 'idempotency-key': 'regen-1' },
    });
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({
      kind: 'regenerate',
      status: 'queued',
      target: { campaignId, day: before.day, platform: before.platform },
      progress: { step: 'queued', percent: 0 },
    });
    const { jobId } = started.body.data;
    const replayed = await api('POST', `${path}/regenerate`, {
      token: alice,
      body: { instructions },
      headers: { 'idempotency-key': 'regen-1' },
    });
    expect(replayed.status).toBe(202);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body.data.jobId).toBe(jobId);

    const job = await pollUntil(
      () => api('GET', `/jobs/${jobId}`, { token: alice }),
      (res) => ['succeeded', 'failed'].includes(res.body.data?.status),
      'the job to end',
    );
    expect(job.body.data).toMatchObject({ status: 'succeeded', progress: { step: 'done', percent: 100 } });
    expect(job.body.data.cost.llmCalls).toBeGreaterThanOrEqual(2);
    expect(job.body.data.cost.tokensIn).toBeGreaterThan(0);
    expect(job.body.data.cost.images).toBe(1);

    const after = (await api('GET', path, { token: alice })).body.data;
    expect(after.version).toBe(before.version + 1);
    expect(after.post).not.toBe(before.post);
    expect(after.revisions[0]).toMatchObject({ version: before.version, title: before.title, post: before.post });
    expect(after.thumbnailKey).not.toBe(before.thumbnailKey);
    expect(after.thumbnailKey).toContain(jobId);
    expect(after.critique.score).toEqual(expect.any(Number));
    const s3 = new S3Client({
      endpoint: stack.s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: after.thumbnailKey }));
    expect(head.ContentLength).toBeGreaterThan(0);

    const usageAfter = (await api('GET', `/campaigns/${campaignId}/stats`, { token: alice })).body.data;
    expect(JSON.stringify(usageAfter)).not.toBe(JSON.stringify(usageBefore));

    const jobs = await api('GET', '/jobs?limit=10', { token: alice });
    expect(jobs.status).toBe(200);
    expect(jobs.body.data.map((j: { jobId: string }) => j.jobId)).toEqual([jobId]);

    // Another user sees none of it.
    expect((await api('GET', `/jobs/${jobId}`, { token: bob })).status).toBe(404);
    expect((await api('GET', '/jobs', { token: bob })).body.data).toEqual([]);
    const foreign = await api('POST', `${path}/regenerate`, { token: bob, body: {} });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
  }, 120_000);

  it('lists jobs newest first with a cursor', async () => {
    const content = (await api('GET', `/campaigns/${campaignId}/content`, { token: alice })).body.data;
    const second = await api('POST', `/campaigns/${campaignId}/content/${content[1].day}/${content[1].platform}/regenerate`, {
      token: alice,
      body: {},
    });
    expect(second.status).toBe(202);
    await pollUntil(
      () => api('GET', `/jobs/${second.body.data.jobId}`, { token: alice }),
      (res) => res.body.data?.status === 'succeeded',
      'the second job',
    );
    const first = await api('GET', '/jobs?limit=1', { token: alice });
    expect(first.body.data[0].jobId).toBe(second.body.data.jobId);
    expect(first.body.meta.nextCursor).toEqual(expect.any(String));
    const next = await api('GET', `/jobs?limit=1&cursor=${first.body.meta.nextCursor}`, { token: alice });
    expect(next.body.data).toHaveLength(1);
    expect(next.body.data[0].jobId).not.toBe(second.body.data.jobId);
    expect((await api('GET', '/jobs/01KAQ3Z6XW8Y2J4N6P8R0T2V4X', { token: alice })).body.error.code).toBe('JOB_NOT_FOUND');
  }, 60_000);
});
