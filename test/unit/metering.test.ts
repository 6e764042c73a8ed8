import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { imageUsage, llmUsage, ZERO_USAGE } from '../../shared/domain/usage';
import { meterUsage, storeWithUsage } from '../../shared/db/metering-store';

const ddb = mockClient(DynamoDBDocumentClient);
const table = 'crescendo-test';
const ref = { userId: 'user-1', campaignId: 'camp-1', attempt: 1 };
const write = {
  Put: { TableName: table, Item: { PK: 'USER#user-1', SK: 'CAMP#camp-1#AGENT#x' }, ConditionExpression: 'attribute_not_exists(PK)' },
};
const at = new Date('2026-11-23T10:00:00Z');
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => ddb.reset());

describe('storeWithUsage', () => {
  it("adds the usage to the campaign and to the creator's month, with a marker of the task's token, in one transaction", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await expect(
      storeWithUsage(table, ref, write, imageUsage('gemini'), { postsDone: 1 }, 'thumbnail#camp-1#3#youtube#h', at),
    ).resolves.toBe(true);
    const items = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(items).toHaveLength(4);
    expect(items[1].Update).toMatchObject({ Key: { PK: 'USER#user-1', SK: 'CAMP#camp-1' } });
    expect(items[2].Update).toMatchObject({
      Key: { PK: 'USER#user-1', SK: 'USAGE#2026-11' },
      UpdateExpression: 'ADD #m0 :m0, #m1 :m1',
      ExpressionAttributeNames: { '#m0': 'images', '#m1': 'costMicroUsd' },
      ExpressionAttributeValues: { ':m0': 1, ':m1': 39_000 },
    });
    expect(items[3].Put).toMatchObject({
      Item: { PK: 'USER#user-1', SK: 'METER#thumbnail#camp-1#3#youtube#h' },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
  });

  it('a retried task whose token was metered stores its result and counts nothing', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'None', 'ConditionalCheckFailed']))
      .resolves({});
    await expect(storeWithUsage(table, ref, write, imageUsage('gemini'), { postsDone: 1 }, 'tok', at)).resolves.toBe(true);
    const retry = ddb.commandCalls(TransactWriteCommand)[1].args[0].input.TransactItems!;
    expect(retry).toEqual([write]);
  });

  it('tries again when a concurrent transaction held the campaign or the month, and gives up after a few tries', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'TransactionConflict', 'None', 'None']))
      .resolves({});
    await expect(storeWithUsage(table, ref, write, imageUsage('gemini'), { postsDone: 1 }, 'tok', at)).resolves.toBe(true);
    const [first, second] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems);
    expect(second).toEqual(first);

    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(cancelled(['None', 'None', 'TransactionConflict', 'None']));
    await expect(storeWithUsage(table, ref, write, imageUsage('gemini'), { postsDone: 1 }, 'tok', at)).rejects.toBeInstanceOf(
      TransactionCanceledException,
    );
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(6);
  });

  it('a result stored already counts nothing and says so', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None', 'None', 'None']));
    await expect(storeWithUsage(table, ref, write, imageUsage('gemini'), {}, 'tok', at)).resolves.toBe(false);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('writes no monthly item and no marker when nothing was paid', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await storeWithUsage(table, ref, write, ZERO_USAGE, { batchesDone: 1 }, 'tok', at);
    expect(ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems).toHaveLength(2);
  });
});

describe('meterUsage', () => {
  it('meters usage of no campaign into the month once per token', async () => {
    ddb
      .on(TransactWriteCommand)
      .resolvesOnce({})
      .rejects(cancelled(['None', 'ConditionalCheckFailed']));
    const usage = llmUsage({ model: 'gemini-2.5-flash', tokensIn: 1000, tokensOut: 500, attempts: 1 });
    await expect(meterUsage(table, 'user-1', usage, 'analyze#job-1', { jobId: 'job-1' }, at)).resolves.toBe(true);
    await expect(meterUsage(table, 'user-1', usage, 'analyze#job-1', { jobId: 'job-1' }, at)).resolves.toBe(false);
    const [month, marker] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(month.Update).toMatchObject({
      Key: { PK: 'USER#user-1', SK: 'USAGE#2026-11' },
      ExpressionAttributeValues: { ':m0': 1, ':m1': 1000, ':m2': 500, ':m3': usage.costMicroUsd },
    });
    expect(marker.Put).toMatchObject({ Item: { SK: 'METER#analyze#job-1', jobId: 'job-1' } });
  });
});
