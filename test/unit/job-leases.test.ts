import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAccountJob } from '../../shared/app/run-account-job';
import { requestAccountDeletion, requestExport } from '../../shared/app/request-account-job';
import { keys } from '../../shared/db/keys';
import type { Job } from '../../shared/schemas/jobs';
import { workerLease } from '../../shared/workflow/job-run';
import { runProfileAnalysis } from '../../shared/workflow/profile-context';
import { runRegeneration } from '../../shared/workflow/regenerate';
import { runCompletion } from '../../shared/workflow/report';

// Every job kind runs on shared/workflow/job-run.ts: the worker records its deadline as the running
// job's lease, and a job still running past it is failed (TIMEOUT) to readers and to a retried worker.
const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  for (const client of [ddb, s3, sfn, lambda]) client.reset();
  ddb.on(UpdateCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

const userId = 'u1';
const jobId = '01JC0000000000000000000000';
const campaignId = '0b6f3f0e-4a39-4c0e-9d0b-6d9a2c1f5e11';
const targets: Record<Job['kind'], Record<string, unknown> | undefined> = {
  regenerate: { campaignId, day: 1, platform: 'youtube' },
  analyze: { profileVersion: 1 },
  complete: { campaignId },
  export: undefined,
  delete: undefined,
};
const jobOf = (kind: Job['kind'], fields: Record<string, unknown>) => ({
  ...keys.job(userId, jobId),
  jobId,
  kind,
  ...(targets[kind] && { target: targets[kind] }),
  progress: { step: 'queued', percent: 0 },
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:01.000Z',
  ...fields,
});
const config = { TABLE_NAME: 't', MEDIA_BUCKET_NAME: 'b', EVENT_BUS_NAME: 'bus', WEBHOOK_DELIVERY_FUNCTION_NAME: 'delivery' };
const input = { userId, jobId };
const runners: Record<Job['kind'], (clock: () => string, lease?: string) => Promise<{ status: string }>> = {
  regenerate: (clock, lease) => runRegeneration('t', 'b', input, clock, lease),
  analyze: (clock, lease) => runProfileAnalysis('t', input, clock, lease),
  complete: (clock, lease) => runCompletion(config, input, clock, lease),
  export: (clock, lease) => runAccountJob(config, input, { clock, leaseExpiresAt: lease }),
  delete: (clock, lease) => runAccountJob(config, input, { clock, leaseExpiresAt: lease }),
};
const kinds = Object.keys(runners) as Job['kind'][];

describe.each(kinds)('a %s job', (kind) => {
  it('records the worker deadline as its lease when the worker picks it up', async () => {
    // Only the job exists: whatever the work reads next is missing, so it ends the job failed.
    ddb.on(GetCommand, { Key: keys.job(userId, jobId) }).resolves({ Item: jobOf(kind, { status: 'queued' }) });
    await runners[kind](() => '2026-11-23T10:00:02.000Z', '2026-11-23T10:15:00.000Z');
    const [pickUp] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(pickUp.Key).toEqual(keys.job(userId, jobId));
    expect(Object.values(pickUp.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['running', '2026-11-23T10:15:00.000Z']));
  });
});

// A deletion past its lease is taken over by the retried worker instead (test/unit/account-data.test.ts).
describe.each(kinds.filter((kind) => kind !== 'delete'))('a %s job', (kind) => {
  it('still running past its lease, is left alone by a retried worker, which reports it failed', async () => {
    ddb
      .on(GetCommand, { Key: keys.job(userId, jobId) })
      .resolves({ Item: jobOf(kind, { status: 'running', leaseExpiresAt: '2026-11-23T10:15:00.000Z' }) });
    await expect(runners[kind](() => '2026-11-23T10:15:01.000Z', '2026-11-23T10:30:00.000Z')).resolves.toMatchObject({ status: 'failed' });
    expect(ddb.commandCalls(UpdateCommand)).toEqual([]);
    expect(ddb.commandCalls(QueryCommand)).toEqual([]);
    expect(s3.calls()).toEqual([]);
    expect(sfn.calls()).toEqual([]);
  });
});

describe('the account jobs past their lease', () => {
  it.each([
    ['export', requestExport],
    ['delete', requestAccountDeletion],
  ] as const)(
    'a %s request finds the timed-out job failed and starts a new one in its place (the lock moved from it), which resumes the work',
    async (kind, request) => {
      const timedOut = jobOf(kind, { status: 'running', leaseExpiresAt: '2026-11-23T10:15:00.000Z' });
      ddb.on(GetCommand, { Key: keys.activeJob(userId, kind) }).resolves({ Item: { ...keys.activeJob(userId, kind), jobId } });
      ddb.on(GetCommand, { Key: keys.job(userId, jobId) }).resolves({ Item: timedOut });
      ddb.on(TransactWriteCommand).resolves({});
      lambda.on(InvokeCommand).resolves({});
      const job = await request({ table: 't', workerFunction: 'worker' }, userId, '2026-11-23T10:16:00.000Z');
      expect(job.jobId).not.toBe(jobId);
      const [lock] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
      expect(lock.Put).toMatchObject({ ConditionExpression: 'jobId = :previous', ExpressionAttributeValues: { ':previous': jobId } });
      expect(JSON.parse(String(lambda.commandCalls(InvokeCommand)[0].args[0].input.Payload))).toEqual({ userId, jobId: job.jobId });
    },
  );
});

it("a worker's lease is its invocation's deadline", () => {
  expect(workerLease({ getRemainingTimeInMillis: () => 900_000 }, Date.parse('2026-11-23T10:00:00.000Z'))).toBe('2026-11-23T10:15:00.000Z');
  expect(workerLease(undefined)).toBeUndefined();
});
