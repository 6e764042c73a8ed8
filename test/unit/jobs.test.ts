import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { getJob, listJobs } from '../../shared/db/job-store';
import { runJob } from '../../shared/workflow/job-run';
import { canTransition, isFinished, newJobId, progressOf, statusesBefore, withLease } from '../../shared/domain/jobs';
import { jobSchema, regenerateRequestSchema } from '../../shared/schemas/jobs';
import { jobStatuses } from '../../shared/schemas/vocabulary';
import { JOB_ID_PATTERN } from '../../shared/schemas/common';

describe('job status transitions', () => {
  it('goes queued → running → succeeded | failed, and a queued job may fail to start', () => {
    expect(canTransition('queued', 'running')).toBe(true);
    expect(canTransition('running', 'succeeded')).toBe(true);
    expect(canTransition('running', 'failed')).toBe(true);
    expect(canTransition('queued', 'failed')).toBe(true);
  });

  it('never skips running to succeed, and never leaves an ended status', () => {
    expect(canTransition('queued', 'succeeded')).toBe(false);
    for (const to of jobStatuses) {
      expect(canTransition('succeeded', to)).toBe(false);
      expect(canTransition('failed', to)).toBe(false);
      expect(canTransition(to, 'queued')).toBe(false);
    }
    expect(isFinished('succeeded') && isFinished('failed')).toBe(true);
    expect(isFinished('queued') || isFinished('running')).toBe(false);
  });

  it('names the statuses a conditional update accepts', () => {
    expect(statusesBefore('running')).toEqual(['queued', 'running']);
    expect(statusesBefore('succeeded')).toEqual(['running']);
    expect(statusesBefore('failed')).toEqual(['queued', 'running']);
    expect(statusesBefore('queued')).toEqual([]);
  });

  it('reports progress from 0 to 100 by step', () => {
    expect(progressOf('queued')).toEqual({ step: 'queued', percent: 0 });
    expect(progressOf('critique').percent).toBe(50);
    expect(progressOf('done')).toEqual({ step: 'done', percent: 100 });
  });
});

describe('job ids', () => {
  it('are ULIDs that sort by creation time', () => {
    const earlier = newJobId(Date.parse('2026-11-23T10:00:00Z'), new Uint8Array(16).fill(255));
    const later = newJobId(Date.parse('2026-11-23T10:00:00.001Z'), new Uint8Array(16));
    expect(earlier).toMatch(JOB_ID_PATTERN);
    expect(later).toMatch(JOB_ID_PATTERN);
    expect(later > earlier).toBe(true);
    expect(newJobId()).not.toBe(newJobId());
  });
});

describe('job schemas', () => {
  it('accepts an absent body or instructions up to 1000 characters', () => {
    expect(regenerateRequestSchema.safeParse(undefined).success).toBe(true);
    expect(regenerateRequestSchema.safeParse({ instructions: 'Shorter, please' }).success).toBe(true);
    expect(regenerateRequestSchema.safeParse({ instructions: 'x'.repeat(1001) }).success).toBe(false);
    expect(regenerateRequestSchema.safeParse({ other: 1 }).success).toBe(false);
  });

  it('describes a queued job', () => {
    const job = {
      jobId: newJobId(),
      kind: 'regenerate',
      status: 'queued',
      target: { campaignId: '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10', day: 3, platform: 'youtube' },
      progress: progressOf('queued'),
      createdAt: '2026-11-23T10:00:00.000Z',
      updatedAt: '2026-11-23T10:00:00.000Z',
    };
    expect(jobSchema.parse(job)).toEqual(job);
  });
});

describe('a running job past its lease (its worker killed by the Lambda timeout)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const running = {
    PK: 'USER#u1',
    SK: 'JOB#01JC0000000000000000000000',
    jobId: '01JC0000000000000000000000',
    kind: 'analyze' as const,
    status: 'running' as const,
    target: { profileVersion: 1 },
    progress: { step: 'analyzing' as const, percent: 50 },
    leaseExpiresAt: '2026-11-23T10:05:00.000Z',
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:01.000Z',
  };

  it('reads as failed with TIMEOUT once the lease is over, and as running before', () => {
    expect(withLease(running, '2026-11-23T10:04:59.000Z').status).toBe('running');
    expect(withLease(running, '2026-11-23T10:05:01.000Z')).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
    const { leaseExpiresAt: _lease, ...withoutLease } = running;
    expect(withLease(withoutLease, '2030-01-01T00:00:00.000Z').status).toBe('running');
    expect(withLease({ ...running, status: 'succeeded' }, '2030-01-01T00:00:00.000Z').status).toBe('succeeded');
  });

  it('GET /jobs and GET /jobs/{id} report it failed, and a retried worker leaves it alone', async () => {
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: running });
    ddb.on(QueryCommand).resolves({ Items: [running] });
    const later = '2026-11-23T11:00:00.000Z';
    await expect(getJob('t', 'u1', running.jobId, later)).resolves.toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
    await expect(listJobs('t', 'u1', { limit: 10 }, later)).resolves.toMatchObject({
      jobs: [{ status: 'failed', error: { code: 'TIMEOUT' } }],
    });
    // A retried worker finds the job ended and does nothing.
    let worked = false;
    const progress = { first: progressOf('writing'), done: progressOf('done') };
    await expect(
      runJob(
        't',
        { userId: 'u1', jobId: running.jobId },
        progress,
        'X',
        async () => ((worked = true), {}),
        () => later,
      ),
    ).resolves.toEqual({ jobId: running.jobId, status: 'failed' });
    expect(worked).toBe(false);
    expect(ddb.commandCalls(UpdateCommand)).toEqual([]);
  });

  it('the worker records its deadline as the lease when it picks the job up', async () => {
    ddb.reset();
    ddb.on(GetCommand).resolves({ Item: { ...running, status: 'queued', leaseExpiresAt: undefined } });
    ddb.on(UpdateCommand).resolves({});
    const progress = { first: progressOf('writing'), done: progressOf('done') };
    await runJob(
      't',
      { userId: 'u1', jobId: running.jobId },
      progress,
      'X',
      async () => ({}),
      () => '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:13:00.000Z',
    );
    const [pickUp] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(Object.values(pickUp.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['running', '2026-11-23T10:13:00.000Z']));
  });
});
