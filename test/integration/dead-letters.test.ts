import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../dev/dynamodb';
import { redrive } from '../../dev/redrive';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { progressOf } from '../../shared/domain/jobs';
import { exportSteps } from '../../shared/schemas/vocabulary';
import { startFixtures, type Fixtures } from '../support/fixtures';

let fixtures: Fixtures;
let dynamo: DynamoDBClient;
let sqs: SQSClient;
let lambda: LambdaClient;

beforeAll(async () => {
  fixtures = await startFixtures();
  const { stack } = fixtures;
  dynamo = localClient(stack.dynamodbEndpoint);
  const clientOptions = { region: 'us-east-1', credentials: S3RVER_CREDENTIALS };
  sqs = new SQSClient({ ...clientOptions, endpoint: stack.sqsEndpoint });
  lambda = new LambdaClient({ ...clientOptions, endpoint: stack.lambdaEndpoint });
});
afterAll(async () => {
  dynamo?.destroy();
  sqs?.destroy();
  lambda?.destroy();
  await fixtures?.dispose();
});

const visibleMessages = async (queueUrl: string) =>
  Number(
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes
      ?.ApproximateNumberOfMessages,
  );

/** Every item of the table, as stored. */
async function scanAll(table: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

describe('dead letters and redrive (local Lambda runtime and queues)', () => {
  it('a worker that fails is retried twice, its event lands in the dead-letter queue, and a redrive after the fix succeeds', async () => {
    const { stack, api } = fixtures;
    const alice = await fixtures.creator('alice');
    const queueUrl = stack.queueUrl('WorkerDeadLetters');
    expect(await visibleMessages(queueUrl)).toBe(0);

    // A queued export job, then the table goes away (an outage) before its worker runs.
    const { putJob } = await import('../../shared/db/job-store');
    const { sendJobEvent } = await import('../../shared/workflow/job-start');
    const now = new Date().toISOString();
    const jobId = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    await putJob(stack.tableName, 'alice', {
      jobId,
      kind: 'export',
      status: 'queued',
      progress: progressOf('queued', exportSteps),
      createdAt: now,
      updatedAt: now,
    });
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: stack.tableName }));
    const backup = await scanAll(stack.tableName);
    await dynamo.send(new DeleteTableCommand({ TableName: stack.tableName }));

    await sendJobEvent(process.env.ACCOUNT_DATA_FUNCTION_NAME!, 'alice', jobId);
    await stack.asyncIdle();

    // Lambda's record of the three failed invocations, with the original event.
    expect(await visibleMessages(queueUrl)).toBe(1);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
    expect(Messages).toHaveLength(1);
    const record = JSON.parse(Messages[0].Body!);
    expect(record).toMatchObject({
      requestContext: {
        functionArn: expect.stringContaining(`function:${process.env.ACCOUNT_DATA_FUNCTION_NAME!.split(':').pop()}`),
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { userId: 'alice', jobId },
      responsePayload: { errorMessage: expect.stringMatching(/resource not found|non-existent table/i) },
    });

    // The fix: the table is back, with its items.
    await dynamo.send(
      new CreateTableCommand({
        TableName: stack.tableName,
        AttributeDefinitions: Table!.AttributeDefinitions,
        KeySchema: Table!.KeySchema,
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: Table!.GlobalSecondaryIndexes?.map(({ IndexName, KeySchema, Projection }) => ({
          IndexName,
          KeySchema,
          Projection,
        })),
      }),
    );
    for (let start = 0; start < backup.length; start += 25) {
      const batch = backup.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [stack.tableName]: batch } }));
    }

    expect(await redrive(queueUrl, { sqs, lambda })).toEqual({ redriven: 1, unreadable: 0 });
    await stack.asyncIdle();
    expect(await visibleMessages(queueUrl)).toBe(0);
    const job = await api('GET', `/jobs/${jobId}`, { token: alice.token });
    expect(job.status).toBe(200);
    expect(job.body.data).toMatchObject({ jobId, kind: 'export', status: 'succeeded', result: { items: expect.any(Number) } });
  });

  it('keeps the queue in the data folder, so a dead letter outlives a restart', async () => {
    const { stack } = fixtures;
    expect(stack.queueNames.sort()).toEqual(['PostingTriggerDeadLetters', 'WorkerDeadLetters']);
    const { startLocalQueues } = await import('../../dev/sqs');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const folder = mkdtempSync(join(tmpdir(), 'crescendo-queues-'));
    const first = await startLocalQueues(folder, ['Q'], 'us-east-1');
    first.send('Q', '{"kept":true}');
    await first.close();
    const second = await startLocalQueues(folder, ['Q'], 'us-east-1');
    const client = new SQSClient({ region: 'us-east-1', credentials: S3RVER_CREDENTIALS, endpoint: second.endpoint });
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: second.queueUrl('Q') }));
    expect(Messages.map((message) => message.Body)).toEqual(['{"kept":true}']);
    client.destroy();
    await second.close();
    rmSync(folder, { recursive: true, force: true });
  });
});
