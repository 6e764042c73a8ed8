import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { strFromU8, unzipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAccountJob } from '../../shared/app/run-account-job';
import { deleteKeys } from '../../shared/db/batch-delete';
import { deletePrefix } from '../../shared/media/objects';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
  lambda.reset();
});

describe('deletePrefix with allVersions', () => {
  it('deletes every version and delete marker, page by page, with their version ids', async () => {
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [
          { Key: 'users/u/a.png', VersionId: 'v2' },
          { Key: 'users/u/a.png', VersionId: 'v1' },
        ],
        DeleteMarkers: [{ Key: 'users/u/b.png', VersionId: 'm1' }],
        IsTruncated: true,
        NextKeyMarker: 'users/u/b.png',
        NextVersionIdMarker: 'm1',
      })
      .resolvesOnce({ Versions: [{ Key: 'users/u/c.png', VersionId: 'v1' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    const pages: number[] = [];
    expect(await deletePrefix(new S3Client({}), 'bucket', 'users/u/', { allVersions: true, afterPage: (n) => void pages.push(n) })).toBe(4);
    expect(s3.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toMatchObject({
      Prefix: 'users/u/',
      KeyMarker: 'users/u/b.png',
      VersionIdMarker: 'm1',
    });
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects).toEqual([
      { Key: 'users/u/a.png', VersionId: 'v2' },
      { Key: 'users/u/a.png', VersionId: 'v1' },
      { Key: 'users/u/b.png', VersionId: 'm1' },
    ]);
    expect(pages).toEqual([3, 1]);
  });

  it('fails loudly when S3 refuses part of a batch', async () => {
    s3.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'k', VersionId: 'v' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k', Code: 'AccessDenied' }] });
    await expect(deletePrefix(new S3Client({}), 'bucket', 'users/u/', { allVersions: true })).rejects.toThrow(/AccessDenied/);
  });
});

describe('deleteKeys', () => {
  it('sends batches of 25 and retries the unprocessed items', async () => {
    const itemKeys = Array.from({ length: 30 }, (_, i) => ({ PK: 'USER#u', SK: `K#${i}` }));
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: [{ DeleteRequest: { Key: itemKeys[3] } }] } })
      .resolves({});
    const batches: number[] = [];
    await deleteKeys('t', itemKeys, (n) => void batches.push(n));
    const sent = ddb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems!.t.length);
    expect(sent).toEqual([25, 1, 5]);
    expect(batches).toEqual([25, 5]);
  });
});

describe('the account deletion worker', () => {
  const job = {
    jobId: '01KMZ3Q0X8S7M2A4B5C6D7E8F9',
    kind: 'delete',
    status: 'queued',
    progress: { step: 'queued', percent: 0 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const config = { TABLE_NAME: 't', MEDIA_BUCKET_NAME: 'b' };

  it('stops running executions first, deletes everything but the job and its lock, then those last', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'USER#u', SK: `JOB#${job.jobId}`, ...job } });
    ddb.on(UpdateCommand).resolves({});
    ddb
      .on(QueryCommand, { FilterExpression: '#status = :generating AND attribute_exists(execution)' })
      .resolves({ Items: [{ execution: { arn: 'arn:aws:states:x:1:execution:sm:c-a1' } }] });
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'USER#u' }, ProjectionExpression: 'PK, SK' })
      .resolvesOnce({
        Items: [
          { PK: 'USER#u', SK: 'PROFILE' },
          { PK: 'USER#u', SK: 'ACTIVEJOB#delete' },
          { PK: 'USER#u', SK: `JOB#${job.jobId}` },
        ],
      })
      .resolves({
        Items: [
          { PK: 'USER#u', SK: 'ACTIVEJOB#delete' },
          { PK: 'USER#u', SK: `JOB#${job.jobId}` },
        ],
      });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'RATE#u' } }).resolves({ Items: [] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'USER#u', ':prefix': 'CONN#' } }).resolves({ Items: [] });
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    sfn.on(StopExecutionCommand).resolves({});

    expect(await runAccountJob(config, { userId: 'u', jobId: job.jobId })).toEqual({ jobId: job.jobId, status: 'succeeded' });
    expect(sfn.commandCalls(StopExecutionCommand)[0].args[0].input.executionArn).toBe('arn:aws:states:x:1:execution:sm:c-a1');
    expect(ddb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems!.t)).toEqual([
      [{ DeleteRequest: { Key: { PK: 'USER#u', SK: 'PROFILE' } } }],
    ]);
    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key)).toEqual([
      { PK: 'USER#u', SK: 'ACTIVEJOB#delete' },
      { PK: 'USER#u', SK: `JOB#${job.jobId}` },
    ]);
  });

  it('does nothing for a job that is gone (a finished deletion removed it)', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await runAccountJob(config, { userId: 'u', jobId: job.jobId })).toEqual({ jobId: job.jobId, status: 'gone' });
    expect(ddb.commandCalls(QueryCommand)).toEqual([]);
  });
});

describe('the account export worker', () => {
  const job = {
    jobId: '01KMZ3Q0X8S7M2A4B5C6D7E8F9',
    kind: 'export',
    status: 'queued',
    progress: { step: 'queued', percent: 0 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const config = { TABLE_NAME: 't', MEDIA_BUCKET_NAME: 'b' };
  const body = (text: string) => ({ Body: { transformToByteArray: async () => new TextEncoder().encode(text) } }) as never;

  it('records an object deleted between the listing and its read as vanished in the manifest, and finishes', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'USER#u', SK: `JOB#${job.jobId}`, ...job } });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ PK: 'USER#u', SK: 'PROFILE' }] });
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: 'users/u/a.png' }, { Key: 'users/u/campaigns/c1/b.png' }, { Key: 'users/u/c.png' }],
      IsTruncated: false,
    });
    s3.on(GetObjectCommand).resolves(body('image'));
    s3.on(GetObjectCommand, { Key: 'users/u/campaigns/c1/b.png' }).rejects(
      new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }),
    );
    s3.on(PutObjectCommand).resolves({});

    expect(await runAccountJob(config, { userId: 'u', jobId: job.jobId })).toEqual({ jobId: job.jobId, status: 'succeeded' });
    const zip = unzipSync(s3.commandCalls(PutObjectCommand)[0].args[0].input.Body as Uint8Array);
    expect(
      Object.keys(zip)
        .filter((name) => name.startsWith('objects/'))
        .sort(),
    ).toEqual(['objects/users/u/a.png', 'objects/users/u/c.png']);
    expect(JSON.parse(strFromU8(zip['manifest.json']))).toMatchObject({
      objects: ['users/u/a.png', 'users/u/c.png'],
      vanished: ['users/u/campaigns/c1/b.png'],
    });
    const finished = ddb
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues ?? {})
      .find((values) => Object.values(values).some((value) => value === 'succeeded'));
    expect(JSON.stringify(finished)).toContain('"vanished":1');
  });

  it('still fails on any other read error', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'USER#u', SK: `JOB#${job.jobId}`, ...job } });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'users/u/a.png' }], IsTruncated: false });
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    expect(await runAccountJob(config, { userId: 'u', jobId: job.jobId })).toMatchObject({ status: 'failed' });
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });
});

describe('a deletion near its deadline', () => {
  const jobId = '01KMZ3Q0X8S7M2A4B5C6D7E8F9';
  const config = { TABLE_NAME: 't', MEDIA_BUCKET_NAME: 'b' };
  const lease = '2026-01-01T00:15:00.000Z';
  const jobItem = (fields: Record<string, unknown>) => ({
    PK: 'USER#u',
    SK: `JOB#${jobId}`,
    jobId,
    kind: 'delete',
    progress: { step: 'objects', percent: 50 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:10:00.000Z',
    ...fields,
  });
  const leaseMoves = () =>
    ddb
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((update) => update.ConditionExpression?.includes('#leaseExpiresAt'));
  /** An account with one object version and nothing else but the job and its lock. */
  const smallAccount = () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(DeleteCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    s3.on(ListObjectVersionsCommand, { Prefix: 'users/u/' })
      .resolvesOnce({ Versions: [{ Key: 'users/u/a.png', VersionId: 'v1' }], IsTruncated: false })
      .resolves({ IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
  };

  it('hands the job off after a batch, with its progress saved: the worker invokes itself with the same ids and the job stays running', async () => {
    smallAccount();
    ddb.on(GetCommand).resolves({ Item: jobItem({ status: 'queued', progress: { step: 'queued', percent: 0 } }) });
    // 100 s at the start (margin: 25 s), 10 s left after the first batch.
    const remaining = [100_000, 10_000];
    const invocation = { functionName: 'account-data-worker', remainingMs: () => remaining.shift() ?? 0 };
    const clock = () => '2026-01-01T00:14:50.000Z';
    expect(await runAccountJob(config, { userId: 'u', jobId }, { clock, leaseExpiresAt: lease, invocation })).toEqual({
      jobId,
      status: 'running',
    });

    const [handoff] = leaseMoves();
    expect(handoff.ConditionExpression).toBe('#jobStatus = :running AND #leaseExpiresAt = :held');
    expect(handoff.ExpressionAttributeValues).toMatchObject({ ':held': lease });
    expect(Object.values(handoff.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining(['2026-01-01T00:14:50.000Z', '2026-01-01T00:19:50.000Z']),
    );
    const progress = ddb
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input.ExpressionAttributeValues!)
      .find((values) => Object.values(values).some((v) => (v as { step?: string }).step === 'objects'));
    expect(progress).toBeDefined();
    const [invoke] = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(invoke).toMatchObject({ FunctionName: 'account-data-worker', InvocationType: 'Event' });
    expect(JSON.parse(String(invoke.Payload))).toEqual({ userId: 'u', jobId });
    // Not finished: the items, the job and its lock are still there.
    expect(ddb.commandCalls(DeleteCommand)).toEqual([]);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(1);
  });

  it('is taken over by its successor, which moves the lease and finishes the deletion', async () => {
    smallAccount();
    ddb.on(GetCommand).resolves({
      Item: jobItem({ status: 'running', leaseExpiresAt: '2026-01-01T00:19:50.000Z', handedOffAt: '2026-01-01T00:14:50.000Z' }),
    });
    const next = '2026-01-01T00:29:51.000Z';
    const outcome = await runAccountJob(
      config,
      { userId: 'u', jobId },
      { clock: () => '2026-01-01T00:14:51.000Z', leaseExpiresAt: next, invocation: { functionName: 'w', remainingMs: () => 900_000 } },
    );
    expect(outcome).toEqual({ jobId, status: 'succeeded' });
    const [takeOver] = leaseMoves();
    expect(takeOver.ExpressionAttributeValues).toMatchObject({ ':held': '2026-01-01T00:19:50.000Z' });
    expect(Object.values(takeOver.ExpressionAttributeValues!)).toContain(next);
    expect(takeOver.UpdateExpression).toContain('REMOVE #handedOffAt');
    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key)).toEqual([
      { PK: 'USER#u', SK: 'ACTIVEJOB#delete' },
      { PK: 'USER#u', SK: `JOB#${jobId}` },
    ]);
    expect(lambda.commandCalls(InvokeCommand)).toEqual([]);
  });

  it('runs once when two successors arrive at once: the second finds the lease moved and does nothing', async () => {
    smallAccount();
    ddb.on(GetCommand).resolves({
      Item: jobItem({ status: 'running', leaseExpiresAt: '2026-01-01T00:19:50.000Z', handedOffAt: '2026-01-01T00:14:50.000Z' }),
    });
    ddb
      .on(UpdateCommand, { ConditionExpression: '#jobStatus = :running AND #leaseExpiresAt = :held' })
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const run = (lease: string) =>
      runAccountJob(config, { userId: 'u', jobId }, { clock: () => '2026-01-01T00:14:51.000Z', leaseExpiresAt: lease });
    const outcomes = await Promise.all([run('2026-01-01T00:29:51.000Z'), run('2026-01-01T00:29:52.000Z')]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['running', 'succeeded']);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(2);
  });

  it('whose worker was killed (its lease passed) is continued by the retried invocation', async () => {
    smallAccount();
    ddb.on(GetCommand).resolves({ Item: jobItem({ status: 'running', leaseExpiresAt: lease }) });
    const retried = await runAccountJob(
      config,
      { userId: 'u', jobId },
      { clock: () => '2026-01-01T00:16:00.000Z', leaseExpiresAt: '2026-01-01T00:31:00.000Z' },
    );
    expect(retried).toEqual({ jobId, status: 'succeeded' });
    expect(leaseMoves()[0].ExpressionAttributeValues).toMatchObject({ ':held': lease });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1);
  });

  it('held by a live worker, is left alone by a repeated event', async () => {
    ddb.on(GetCommand).resolves({ Item: jobItem({ status: 'running', leaseExpiresAt: lease }) });
    expect(
      await runAccountJob(
        config,
        { userId: 'u', jobId },
        { clock: () => '2026-01-01T00:05:00.000Z', leaseExpiresAt: '2026-01-01T00:20:00.000Z' },
      ),
    ).toEqual({ jobId, status: 'running' });
    expect(ddb.commandCalls(UpdateCommand)).toEqual([]);
    expect(s3.calls()).toEqual([]);
  });
});
