import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler as createWebhook } from '../../functions/api/webhook-create';
import { handler as deleteWebhook } from '../../functions/api/webhook-delete';
import { plans } from '../../shared/domain/plans';
import { accountView } from '../../shared/domain/quotas';
import { monthlyUsageOf } from '../../shared/domain/usage';
import { backoffMs, signatureHeader, verifyWebhookSignature } from '../../shared/domain/webhooks';
import { apiEvent, call } from '../support/api-event';

describe('signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"1","type":"post.due"}';
  const now = 1_800_000_000;

  it('verifies its own signature and nothing altered', () => {
    const header = signatureHeader(secret, body, now);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyWebhookSignature(secret, `${body} `, header, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature('whsec_other', body, header, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header.replace(/t=\d+/, `t=${now + 1}`), { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined)).toBe(false);
    expect(verifyWebhookSignature(secret, body, 'garbage', { nowSeconds: now })).toBe(false);
  });

  it('refuses a signature older than the tolerance (replay)', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: now + 301, toleranceSeconds: 600 })).toBe(true);
  });
});

describe('backoff', () => {
  it('waits nothing before the first attempt, then doubles from the base', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, 2000))).toEqual([0, 2000, 4000, 8000, 16000]);
    expect(backoffMs(3, 0)).toBe(0);
  });
});

describe('POST /webhooks without the local allowance', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    ddb.reset();
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({});
    ddb.on(TransactWriteCommand).resolves({});
  });
  const create = (url: string) =>
    call(createWebhook, apiEvent({ method: 'POST', path: '/webhooks', body: { url, eventTypes: ['post.due'] } }));

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'not_https'],
    ['https://169.254.169.254/latest/meta-data/', 'link_local'],
    ['http://localhost:8080/hook', 'not_https'],
    ['https://localhost:8080/hook', 'loopback'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://10.0.0.8/hook', 'private'],
    ['https://[fd00::1]/hook', 'private'],
    ['https://[::ffff:169.254.169.254]/latest/meta-data/', 'link_local'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
  ])('refuses %s (422 WEBHOOK_URL_REFUSED, %s) and stores nothing', async (url, reason) => {
    const res = await create(url);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'WEBHOOK_URL_REFUSED', details: { reason } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('accepts a public HTTPS address and returns the secret once', async () => {
    const res = await create('https://93.184.216.34/hook');
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      url: 'https://93.184.216.34/hook',
      eventTypes: ['post.due'],
      status: 'active',
      consecutiveFailures: 0,
    });
    expect(res.body.data.secret).toMatch(/^whsec_/);
    const [transaction] = ddb.commandCalls(TransactWriteCommand);
    const [count, put] = transaction.args[0].input.TransactItems!;
    expect(put.Put!.Item).toMatchObject({ SK: `WEBHOOK#${res.body.data.webhookId}`, secret: res.body.data.secret });
    // The subscription count on the user item, taken only while under the free plan's limit.
    expect(count.Update).toMatchObject({ Key: { SK: 'USER' }, ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' });
    expect(count.Update!.UpdateExpression).toContain('ADD #count :one');
    expect(count.Update!.ExpressionAttributeValues).toMatchObject({ ':one': 1, ':max': plans.free.webhooks });
  });

  it('refuses a subscription past the plan limit with 402 before writing anything', async () => {
    ddb.on(GetCommand).resolves({ Item: { tier: 'free', webhookCount: plans.free.webhooks } });
    const res = await create('https://93.184.216.34/hook');
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      details: { limit: 'webhooks', usage: plans.free.webhooks + 1, limitValue: plans.free.webhooks },
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses the creation that loses a race for the last place (the conditional count), with 402', async () => {
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const res = await create('https://93.184.216.34/hook');
    expect(res.status).toBe(402);
    expect(res.body.error.details).toMatchObject({ limit: 'webhooks', limitValue: plans.free.webhooks });
  });

  it("counts against the creator's own tier", async () => {
    ddb.on(GetCommand).resolves({ Item: { tier: 'pro', webhookCount: plans.free.webhooks } });
    expect((await create('https://93.184.216.34/hook')).status).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems![0].Update!.ExpressionAttributeValues).toMatchObject({
      ':max': plans.pro.webhooks,
    });
  });

  it('a deletion gives the place back in the same transaction; an unknown id is 404', async () => {
    const remove = () =>
      call(deleteWebhook, apiEvent({ method: 'DELETE', path: '/webhooks/{id}', pathParameters: { id: '01JAAAAAAAAAAAAAAAAAAAAAAA' } }));
    expect((await remove()).status).toBe(204);
    const [del, count] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(del.Delete).toMatchObject({ ConditionExpression: 'attribute_exists(PK)' });
    expect(count.Update).toMatchObject({
      Key: { SK: 'USER' },
      UpdateExpression: 'ADD #count :minusOne',
      ExpressionAttributeValues: { ':minusOne': -1 },
    });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    expect((await remove()).body.error.code).toBe('WEBHOOK_NOT_FOUND');
  });

  it('GET /account shows the subscriptions against the limit', () => {
    const view = accountView(
      { userId: 'u' },
      {
        tier: 'free',
        usage: monthlyUsageOf(undefined),
        activeCampaigns: 0,
        webhooks: 1,
        apiKeys: 0,
        now: new Date('2026-12-01T00:00:00Z'),
      },
    );
    expect(view.usage.webhooks).toBe(1);
    expect(view.quotas).toContainEqual({ limit: 'webhooks', used: 1, max: plans.free.webhooks });
  });

  it('rejects an unknown event type and a duplicate one (400)', async () => {
    const bad = await call(
      createWebhook,
      apiEvent({ method: 'POST', path: '/webhooks', body: { url: 'https://93.184.216.34/', eventTypes: ['post.posted'] } }),
    );
    expect(bad.status).toBe(400);
    const twice = await call(
      createWebhook,
      apiEvent({ method: 'POST', path: '/webhooks', body: { url: 'https://93.184.216.34/', eventTypes: ['post.due', 'post.due'] } }),
    );
    expect(twice.status).toBe(400);
  });
});
