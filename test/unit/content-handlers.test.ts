import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as getContent } from '../../functions/api/content-get';
import { handler as listContent } from '../../functions/api/content-list';
import { handler as updateContent } from '../../functions/api/content-update';
import { encodeCursor } from '../../shared/db/cursor';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const cid = '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10';
const header = {
  PK: 'USER#user-1',
  SK: `CAMP#${cid}`,
  GSI1PK: 'CAMPAIGNS#user-1',
  GSI1SK: `2026-03-01#${cid}`,
  campaignId: cid,
  status: 'in_progress',
  version: 4,
};
const stored = (day: number, platform: string, extra: Record<string, unknown> = {}) => ({
  PK: 'USER#user-1',
  SK: `CAMP#${cid}#DAY#${String(day).padStart(2, '0')}#${platform}`,
  GSI1PK: 'DUE#2026-03-03#04',
  GSI1SK: `17:00#user-1#${cid}#${platform}`,
  campaignId: cid,
  day,
  platform,
  date: '2026-03-03',
  localTime: '18:00',
  dueAt: '2026-03-03T17:00:00.000Z',
  format: 'short video',
  title: 'Budget in 5 minutes',
  post: 'Budgeting for students',
  approval: { state: 'pending' },
  version: 1,
  revisions: [],
  updatedAt: '2026-03-01T08:00:00.000Z',
  ...extra,
});

const listEvent = (query: Record<string, string> = {}) =>
  apiEvent({ path: `/campaigns/${cid}/content`, pathParameters: { id: cid }, queryStringParameters: query });
const itemPath = { id: cid, day: '3', platform: 'youtube' };
const getEvent = () => apiEvent({ path: `/campaigns/${cid}/content/3/youtube`, pathParameters: itemPath });
const patchEvent = (body: unknown, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'PATCH', path: `/campaigns/${cid}/content/3/youtube`, pathParameters: itemPath, body, headers });

const cancelled = (...reasons: { Code: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map(({ Code, Item }) => ({ Code, ...(Item && { Item: marshall(Item) }) })),
  });

describe('GET /campaigns/{id}/content', () => {
  it('reads the first page in one Query that starts at the campaign header, and hides the header', async () => {
    const thumbnailKey = `users/user-1/campaigns/${cid}/day-03-youtube.png`;
    ddb.on(QueryCommand).resolves({ Items: [header, stored(3, 'youtube', { thumbnailKey }), stored(4, 'youtube')] });
    const res = await call(listContent, listEvent({ fromDay: '3', toDay: '7', platform: 'youtube', limit: '2' }));
    expect(res.status).toBe(200);
    expect(res.body.data.map((item: { day: number }) => item.day)).toEqual([3, 4]);
    expect(res.body.data[0]).not.toHaveProperty('PK');
    expect(res.body.data[0]).not.toHaveProperty('GSI1PK');
    const url = new URL(res.body.data[0].thumbnailUrl);
    expect(url.pathname).toContain(thumbnailKey);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(res.body.data[1]).not.toHaveProperty('thumbnailUrl');
    expect(res.body.meta).not.toHaveProperty('nextCursor');

    expect(ddb.calls()).toHaveLength(1);
    const input = ddb.commandCalls(QueryCommand)[0].args[0].input;
    expect(input.KeyConditionExpression).toBe('PK = :pk AND SK BETWEEN :from AND :to');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':pk': 'USER#user-1',
      ':from': `CAMP#${cid}`,
      ':to': `CAMP#${cid}#DAY#07#~`,
      ':fromDay': 3,
      ':platform': 'youtube',
    });
    expect(input.FilterExpression).toBe('GSI1PK = :campaignList OR (#day >= :fromDay AND #platform = :platform)');
    expect(input.Limit).toBeUndefined();
    expect(input.ExclusiveStartKey).toBeUndefined();
  });

  it('trims a page that read more than the limit, continuing after the last item shown', async () => {
    ddb.on(QueryCommand).resolves({ Items: [header, stored(3, 'youtube'), stored(4, 'youtube'), stored(5, 'youtube')] });
    const res = await call(listContent, listEvent({ platform: 'youtube', limit: '2' }));
    expect(res.body.data.map((item: { day: number }) => item.day)).toEqual([3, 4]);
    expect(res.body.meta.nextCursor).toBe(encodeCursor({ PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#04#youtube` }));
  });

  it('defaults to the whole campaign, 50 items', async () => {
    ddb.on(QueryCommand).resolves({ Items: [header] });
    const res = await call(listContent, listEvent());
    expect(res.body.data).toEqual([]);
    const input = ddb.commandCalls(QueryCommand)[0].args[0].input;
    expect(input.ExpressionAttributeValues).toMatchObject({ ':to': `CAMP#${cid}#DAY#99#~`, ':fromDay': 1 });
    expect(input.FilterExpression).toBe('GSI1PK = :campaignList OR (#day >= :fromDay)');
  });

  it('answers 404 CAMPAIGN_NOT_FOUND when the header is not there, not an empty list', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const res = await call(listContent, listEvent());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
  });

  it('continues from a cursor with the same key range, reading exactly the limit when nothing is filtered', async () => {
    const lastKey = { PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#04#youtube` };
    ddb
      .on(QueryCommand)
      .resolves({ Items: [stored(5, 'youtube')], LastEvaluatedKey: { PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#05#youtube` } });
    const res = await call(listContent, listEvent({ limit: '1', cursor: encodeCursor(lastKey)! }));
    expect(res.status).toBe(200);
    expect(res.body.data.map((item: { day: number }) => item.day)).toEqual([5]);
    expect(res.body.meta.nextCursor).toEqual(expect.any(String));
    const input = ddb.commandCalls(QueryCommand)[0].args[0].input;
    expect(input.ExclusiveStartKey).toEqual(lastKey);
    expect(input.Limit).toBe(1);

    await call(listContent, listEvent({ limit: '1', platform: 'youtube', cursor: encodeCursor(lastKey)! }));
    expect(ddb.commandCalls(QueryCommand)[1].args[0].input.Limit).toBeUndefined();
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['another user', encodeCursor({ PK: 'USER#user-2', SK: `CAMP#${cid}#DAY#04#youtube` })!],
    ['another campaign', encodeCursor({ PK: 'USER#user-1', SK: 'CAMP#7d0e6a8b-0000-4000-8000-000000000000#DAY#04#youtube' })!],
    ['beyond the day range', encodeCursor({ PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#09#youtube` })!],
    ['extra key attributes', encodeCursor({ PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#04#youtube`, GSI1PK: 'x' })!],
  ])('rejects a cursor from %s with 400 INVALID_CURSOR before reading', async (_, cursor) => {
    const res = await call(listContent, listEvent({ toDay: '7', cursor }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_CURSOR');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('rejects a reversed day range with 400', async () => {
    const res = await call(listContent, listEvent({ fromDay: '9', toDay: '2' }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].path).toBe('query.fromDay');
  });
});

describe('GET /campaigns/{id}/content/{day}/{platform}', () => {
  it('reads the caller’s item with one consistent GetItem and returns its version as ETag', async () => {
    ddb.on(GetCommand).resolves({ Item: stored(3, 'youtube', { version: 3 }) });
    const res = await call(getContent, getEvent());
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ day: 3, platform: 'youtube', version: 3 });
    expect(res.headers.etag).toBe('"3"');
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({
      Key: { PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#03#youtube` },
      ConsistentRead: true,
    });
  });

  it('answers 404 CONTENT_NOT_FOUND', async () => {
    ddb.on(GetCommand).resolves({});
    const res = await call(getContent, getEvent());
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CONTENT_NOT_FOUND');
  });
});

describe('PATCH /campaigns/{id}/content/{day}/{platform}', () => {
  beforeEach(() => ddb.on(GetCommand).resolves({ Item: stored(3, 'youtube', { version: 2 }) }));

  it('writes in one transaction: campaign status check + update conditional on the version read', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const res = await call(updateContent, patchEvent({ title: 'Budget in 3 minutes' }));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ title: 'Budget in 3 minutes', version: 3 });
    expect(res.body.data.revisions).toEqual([
      { version: 2, at: '2026-03-01T08:00:00.000Z', title: 'Budget in 5 minutes', post: 'Budgeting for students' },
    ]);
    expect(res.headers.etag).toBe('"3"');

    const [check, update] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(check.ConditionCheck).toMatchObject({
      Key: { PK: 'USER#user-1', SK: `CAMP#${cid}` },
      ConditionExpression: '#status IN (:from0, :from1)',
      ExpressionAttributeValues: { ':from0': 'generating', ':from1': 'in_progress' },
    });
    expect(update.Update).toMatchObject({
      Key: { PK: 'USER#user-1', SK: `CAMP#${cid}#DAY#03#youtube` },
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: expect.objectContaining({ ':read': 2 }),
    });
    expect(Object.values(update.Update!.ExpressionAttributeNames!)).toEqual(['title', 'revisions', 'version', 'updatedAt']);
  });

  it('answers 412 PRECONDITION_FAILED on a stale If-Match, without writing', async () => {
    const res = await call(updateContent, patchEvent({ title: 'x' }, { 'if-match': '"1"' }));
    expect(res.status).toBe(412);
    expect(res.body.error).toMatchObject({ code: 'PRECONDITION_FAILED', details: { currentVersion: 2 } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 409 CAMPAIGN_STATE_CONFLICT when the campaign no longer allows edits', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled({ Code: 'ConditionalCheckFailed', Item: { ...header, status: 'completed' } }, { Code: 'None' }));
    const res = await call(updateContent, patchEvent({ approval: { state: 'approved' } }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: 'CAMPAIGN_STATE_CONFLICT',
      details: { currentStatus: 'completed', allowedActions: ['delete'] },
    });
  });

  it.each([
    ['without If-Match: 409 CAMPAIGN_STATE_CONFLICT', {}, 409, 'CAMPAIGN_STATE_CONFLICT'],
    ['with If-Match: 412 PRECONDITION_FAILED', { 'if-match': 'W/"2"' }, 412, 'PRECONDITION_FAILED'],
  ])('a concurrent edit that won in between: %s', async (_, headers, status, code) => {
    ddb
      .on(TransactWriteCommand)
      .rejects(cancelled({ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: stored(3, 'youtube', { version: 3 }) }));
    const res = await call(updateContent, patchEvent({ post: 'mine' }, headers));
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, details: { currentVersion: 3 } });
  });

  it('answers 409 while another transaction holds the item', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: 'None' }, { Code: 'TransactionConflict' }));
    const res = await call(updateContent, patchEvent({ post: 'mine' }));
    expect(res.status).toBe(409);
  });

  it('answers 404 CONTENT_NOT_FOUND when there is no such item, or it vanished before the write', async () => {
    ddb.on(GetCommand).resolves({});
    expect((await call(updateContent, patchEvent({ title: 'x' }))).status).toBe(404);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    ddb.on(GetCommand).resolves({ Item: stored(3, 'youtube') });
    ddb.on(TransactWriteCommand).rejects(cancelled({ Code: 'None' }, { Code: 'ConditionalCheckFailed' }));
    const res = await call(updateContent, patchEvent({ title: 'x' }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('CONTENT_NOT_FOUND');
  });

  it.each([
    ['a rejection without a reason', { approval: { state: 'rejected' } }, 'body.approval.reason'],
    ['an empty patch', {}, 'body'],
    ['a field that is not editable', { dueAt: '2026-01-01T00:00:00.000Z' }, 'body'],
    ['too many SEO tags', { seoTags: Array.from({ length: 31 }, (_, i) => `tag${i}`) }, 'body.seoTags'],
  ])('rejects %s with 400, touching nothing', async (_, body, path) => {
    const res = await call(updateContent, patchEvent(body));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('rejects an If-Match that is not a version with 400', async () => {
    const res = await call(updateContent, patchEvent({ title: 'x' }, { 'if-match': '*' }));
    expect(res.status).toBe(400);
    expect(ddb.calls()).toHaveLength(0);
  });
});
