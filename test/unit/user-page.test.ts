import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { queryUserPage } from '../../shared/db/user-page';

const ddb = mockClient(DynamoDBDocumentClient);

describe('queryUserPage', () => {
  beforeEach(() => ddb.reset());

  it('reads the prefix in the user’s partition newest first and hands the next page its start key back', async () => {
    const lastKey = { PK: 'USER#alice', SK: 'JOB#01B' };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ PK: 'USER#alice', SK: 'JOB#01C' }], LastEvaluatedKey: lastKey })
      .resolves({ Items: [] });
    const first = await queryUserPage('t', 'alice', 'JOB#', { limit: 1 });
    expect(first.items).toEqual([{ PK: 'USER#alice', SK: 'JOB#01C' }]);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input).toEqual({
      TableName: 't',
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': 'USER#alice', ':prefix': 'JOB#' },
      ScanIndexForward: false,
      Limit: 1,
      ExclusiveStartKey: undefined,
    });

    const second = await queryUserPage('t', 'alice', 'JOB#', { limit: 1, cursor: first.nextCursor });
    expect(ddb.commandCalls(QueryCommand)[1].args[0].input.ExclusiveStartKey).toEqual(lastKey);
    expect(second).toEqual({ items: [], nextCursor: undefined });
  });

  it('refuses a cursor of another user with INVALID_CURSOR before reading', async () => {
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { PK: 'USER#alice', SK: 'JOB#01B' } });
    const { nextCursor } = await queryUserPage('t', 'alice', 'JOB#', { limit: 1 });
    ddb.resetHistory();
    await expect(queryUserPage('t', 'bob', 'JOB#', { limit: 1, cursor: nextCursor })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    await expect(queryUserPage('t', 'bob', 'JOB#', { limit: 1, cursor: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('passes a filter with its names and values along with the key condition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    await queryUserPage('t', 'alice', 'ASSET#', {
      limit: 5,
      filter: { expression: '#type = :type', names: { '#type': 'type' }, values: { ':type': 'image' } },
    });
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input).toMatchObject({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':pk': 'USER#alice', ':prefix': 'ASSET#', ':type': 'image' },
    });
  });
});
