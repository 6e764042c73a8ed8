import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAccountJob } from '../../shared/account-data';
import { deleteKeys } from '../../shared/db/batch-delete';
import { deletePrefix } from '../../shared/media/objects';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
beforeEach(() => {
  ddb.reset();
  s3.reset();
  sfn.reset();
});

describe('deletePrefix with allVersions', () => {
  it('deletes every version and delete marker, page by page, with their version ids', async () => {
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [{ Key: 'users/u/a.png', VersionId: 'v2' }, { Key: 'users/u/a.png', VersionId: 'v1' }],
        DeleteMarkers: [{ Key: 'users/u/b.png', VersionId: 'm1' }],
        IsTruncated: true,
        NextKeyMarker: 'users/u/b.png',
        NextVersionIdMarker: 'm1',
      })
      .resolvesOnce({ Versions: [{ Key: 'users/u/c.png', VersionId: 'v1' }], IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    const pages: number[] = [];
    expect(await deletePrefix(new S3Client({}), 'bucket', 'users/u/', { allVersions: true, afterPage: (n) => void pages.push(n) })).toBe(4);
    expect(s3.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toMatchObject({ Prefix: 'users/u/', KeyMarker: 'users/u/b.png', VersionIdMarker: 'm1' });
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
    ddb.on(BatchWriteCommand)
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
  const job = { jobId: '01KMZ3Q0X8S7M2A4B5C6D7E8F9', kind: 'delete', status: 'queued', progress: { step: 'queued', percent: 0 }, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' };
  const config = { TABLE_NAME: 't', MEDIA_BUCKET_NAME: 'b' };

  it('stops running executions first, deletes everything but the job and its lock, then those last', async () => {
    ddb.on(GetCommand).resolves({ Item: { PK: 'USER#u', SK: `JOB#${job.jobId}`, ...job } });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand, { FilterExpression: '#status = :generating AND attribute_exists(execution)' }).resolves({ Items: [{ execution: { arn: 'arn:aws:states:x:1:execution:sm:c-a1' } }] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'USER#u' }, ProjectionExpression: 'PK, SK' })
      .resolvesOnce({ Items: [{ PK: 'USER#u', SK: 'PROFILE' }, { PK: 'USER#u', SK: 'ACTIVEJOB#delete' }, { PK: 'USER#u', SK: `JOB#${job.jobId}` }] })
      .resolves({ Items: [{ PK: 'USER#u', SK: 'ACTIVEJOB#delete' }, { PK: 'USER#u', SK: `JOB#${job.jobId}` }] });
    ddb.on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'RATE#u' } }).resolves({ Items: [] });
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(DeleteCommand).resolves({});
    s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    sfn.on(StopExecutionCommand).resolves({});

    expect(await runAccountJob(config, { userId: 'u', jobId: job.jobId })).toEqual({ jobId: job.jobId, status: 'succeeded' });
    expect(sfn.commandCalls(StopExecutionCommand)[0].args[0].input.executionArn).toBe('arn:aws:states:x:1:execution:sm:c-a1');
    expect(ddb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems!.t)).toEqual([[{ DeleteRequest: { Key: { PK: 'USER#u', SK: 'PROFILE' } } }]]);
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
