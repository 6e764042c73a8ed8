import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateDevKeys, serveJwks, signDevToken, type DevKeys } from '../../dev/jwt';
import { handler as createKey } from '../../functions/api/api-key-create';
import { handler as listKeys } from '../../functions/api/api-key-list';
import { handler as listCampaigns } from '../../functions/api/campaign-list';
import { handler as startCampaign } from '../../functions/api/campaign-start';
import { apiKeyIdOf, hashApiKey, isApiKeyExpired, issueApiKey, matchesApiKeyHash } from '../../shared/domain/api-keys';
import type { AuthorizerContext } from '../../shared/http/identity';
import { identityOf } from '../../shared/http/identity';
import { apiEvent, call } from '../support/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

/** An API event as the bearer authorizer hands it on (requestContext.authorizer.lambda). */
function bearerEvent(
  context: Partial<AuthorizerContext>,
  input: Parameters<typeof apiEvent>[0] = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const event = apiEvent(input);
  const lambda: AuthorizerContext = {
    userId: 'user-1',
    authType: 'apiKey',
    scopes: '',
    keyId: '01KMZ3Q0X8S7M2A4B5C6D7E8F9',
    azp: '',
    ...context,
  };
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { lambda } },
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

describe('API key tokens', () => {
  it('are crk_<ULID>_<256 random bits>, shown by prefix and last 4, stored as their SHA-256', () => {
    const issued = issueApiKey(Date.UTC(2026, 10, 24));
    expect(issued.token).toMatch(/^crk_[0-9A-HJKMNP-TV-Z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(apiKeyIdOf(issued.token)).toBe(issued.keyId);
    expect(issued.tokenHash).toBe(createHash('sha256').update(issued.token).digest('hex'));
    expect(issued.prefix).toBe(issued.token.slice(0, 12));
    expect(issued.last4).toBe(issued.token.slice(-4));
    expect(issueApiKey().token).not.toBe(issueApiKey().token);
  });

  it('verify against the stored hash only with the exact token', () => {
    const { token, tokenHash } = issueApiKey();
    expect(matchesApiKeyHash(token, tokenHash)).toBe(true);
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(matchesApiKeyHash(tampered, tokenHash)).toBe(false);
    expect(matchesApiKeyHash(token, 'not-hex')).toBe(false);
    expect(apiKeyIdOf('crk_short')).toBeUndefined();
    expect(apiKeyIdOf(`${token}x`)).toBeUndefined();
  });

  it('expire at their expiry, never without one', () => {
    const now = new Date('2026-11-24T00:00:00Z');
    expect(isApiKeyExpired(undefined, now)).toBe(false);
    expect(isApiKeyExpired('2026-11-24T00:00:00Z', now)).toBe(true);
    expect(isApiKeyExpired('2026-11-24T00:00:01Z', now)).toBe(false);
  });
});

describe('identity from either authorizer', () => {
  it('reads JWT claims or the bearer authorizer context', () => {
    expect(identityOf(apiEvent({ userId: 'alice', claims: { azp: 'web' } }))).toMatchObject({
      userId: 'alice',
      authType: 'jwt',
      claims: { sub: 'alice', azp: 'web' },
    });
    expect(identityOf(bearerEvent({ userId: 'bob', scopes: 'campaigns:read bogus schedule:read' }))).toEqual({
      userId: 'bob',
      authType: 'apiKey',
      scopes: ['campaigns:read', 'schedule:read'],
      claims: { sub: 'bob' },
    });
    expect(identityOf(bearerEvent({ userId: 'carol', authType: 'jwt', azp: 'web' }))).toMatchObject({
      userId: 'carol',
      authType: 'jwt',
      scopes: [],
      claims: { sub: 'carol', azp: 'web' },
    });
  });
});

describe('scopes per route', () => {
  it('a key with the route’s scope passes, as its user', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const res = await call(listCampaigns, bearerEvent({ userId: 'bob', scopes: 'campaigns:read' }, { path: '/campaigns' }));
    expect(res.status).toBe(200);
    expect(ddb.commandCalls(QueryCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ':pk': 'CAMPAIGNS#bob' });
  });

  it('a key without the scope gets 403 INSUFFICIENT_SCOPE before any table access', async () => {
    const res = await call(
      startCampaign,
      bearerEvent(
        { scopes: 'campaigns:read schedule:read' },
        { method: 'POST', path: '/campaigns/c/start', pathParameters: { id: '8a1f1f5e-1b7c-4b8e-9d0a-2f4c6e8a0b1c' } },
      ),
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      details: { requiredScope: 'campaigns:write', scopes: ['campaigns:read', 'schedule:read'] },
    });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a key on a JWT-only route (key management) gets 403, whatever its scopes', async () => {
    const res = await call(
      listKeys,
      bearerEvent({ scopes: 'campaigns:read campaigns:write schedule:read webhooks:write' }, { path: '/api-keys' }),
    );
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { requiredScope: null } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('a JWT through the bearer authorizer is the creator, not limited by scopes', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect((await call(listCampaigns, bearerEvent({ userId: 'carol', authType: 'jwt', scopes: '' }, { path: '/campaigns' }))).status).toBe(
      200,
    );
  });
});

describe('POST /api-keys', () => {
  const body = { name: 'Zapier', scopes: ['campaigns:read'], expiresAt: '2099-01-01T00:00:00Z' };

  it('stores the key without its hash under the user and the hash in the lookup, with the count, in one transaction; the token is returned once', async () => {
    ddb.on(GetCommand).resolves({ Item: { tier: 'free', apiKeyCount: 1 } });
    ddb.on(TransactWriteCommand).resolves({});
    const res = await call(createKey, apiEvent({ method: 'POST', path: '/api-keys', userId: 'alice', body }));
    expect(res.status).toBe(201);
    const { key, keyId, ...shown } = res.body.data;
    expect(shown).toMatchObject({
      name: 'Zapier',
      scopes: ['campaigns:read'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      prefix: key.slice(0, 12),
      last4: key.slice(-4),
    });
    const [count, ...puts] = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(count.Update).toMatchObject({
      Key: { PK: 'USER#alice', SK: 'USER' },
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
      ExpressionAttributeValues: { ':max': 2, ':one': 1 },
    });
    expect(count.Update!.UpdateExpression).toContain('ADD #count :one');
    const [userItem, lookup] = puts.map((item) => item.Put!.Item!);
    expect(userItem).toMatchObject({ PK: 'USER#alice', SK: `APIKEY#${keyId}`, name: 'Zapier' });
    expect(JSON.stringify(userItem)).not.toContain(hashApiKey(key));
    expect(userItem).not.toHaveProperty('key');
    expect(lookup).toEqual({
      PK: `APIKEY#${keyId}`,
      SK: 'APIKEY',
      keyId,
      userId: 'alice',
      scopes: ['campaigns:read'],
      expiresAt: '2099-01-01T00:00:00.000Z',
      tokenHash: hashApiKey(key),
    });
  });

  it('refuses past the plan’s limit with 402 QUOTA_EXCEEDED, writing nothing', async () => {
    ddb.on(GetCommand).resolves({ Item: { tier: 'free', apiKeyCount: 2 } });
    const res = await call(createKey, apiEvent({ method: 'POST', path: '/api-keys', body }));
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 'apiKeys', usage: 3, limitValue: 2 } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('a concurrent creation that lost the count’s condition is 402 too', async () => {
    ddb.on(GetCommand).resolves({ Item: { tier: 'free', apiKeyCount: 1 } });
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
      }),
    );
    const res = await call(createKey, apiEvent({ method: 'POST', path: '/api-keys', body }));
    expect(res.status).toBe(402);
    expect(res.body.error.details).toMatchObject({ limit: 'apiKeys', limitValue: 2 });
  });

  it('refuses unknown scopes and past expiries', async () => {
    const bad = await call(
      createKey,
      apiEvent({ method: 'POST', path: '/api-keys', body: { name: 'x', scopes: ['account:write'], expiresAt: '2001-01-01T00:00:00Z' } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.scopes.0', 'body.expiresAt']);
  });
});

describe('the bearer authorizer', () => {
  let dataDir: string;
  let keys: DevKeys;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let authorize: (event: APIGatewayRequestAuthorizerEventV2) => Promise<{ isAuthorized: boolean; context: AuthorizerContext }>;
  const event = (authorization: string) =>
    ({
      version: '2.0',
      type: 'REQUEST',
      identitySource: [authorization],
      headers: { authorization },
      routeKey: 'GET /campaigns',
    }) as unknown as APIGatewayRequestAuthorizerEventV2;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'crescendo-authorizer-'));
    keys = await loadOrCreateDevKeys(dataDir);
    jwks = await serveJwks(keys);
    Object.assign(process.env, { JWT_ISSUER: LOCAL_ISSUER, JWT_AUDIENCE: `other,${LOCAL_AUDIENCE}`, JWT_JWKS_URL: jwks.url });
    const module = await import('../../functions/authorizers/bearer');
    authorize = (e) => module.handler(e) as never;
  });
  afterAll(async () => {
    await jwks.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = (token: string, extra: Record<string, unknown> = {}) => ({
    PK: `APIKEY#${apiKeyIdOf(token)}`,
    SK: 'APIKEY',
    keyId: apiKeyIdOf(token),
    userId: 'alice',
    scopes: ['campaigns:read', 'schedule:read'],
    tokenHash: hashApiKey(token),
    ...extra,
  });

  it('allows a valid key with its user and scopes as the only identity (one consistent GetItem of the lookup)', async () => {
    const { token, keyId } = issueApiKey();
    ddb.on(GetCommand).resolves({ Item: stored(token, { expiresAt: '2099-01-01T00:00:00.000Z' }) });
    const result = await authorize(event(`Bearer ${token}`));
    expect(result).toEqual({
      isAuthorized: true,
      context: { userId: 'alice', authType: 'apiKey', scopes: 'campaigns:read schedule:read', keyId, azp: '' },
    });
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input)).toEqual([
      { TableName: 'crescendo-test', Key: { PK: `APIKEY#${keyId}`, SK: 'APIKEY' }, ConsistentRead: true },
    ]);
  });

  it('refuses an unknown or revoked key (no lookup item) with Unauthorized (401)', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(authorize(event(`Bearer ${issueApiKey().token}`))).rejects.toThrow('Unauthorized');
  });

  it('refuses a key whose secret does not match the stored hash', async () => {
    const { token } = issueApiKey();
    ddb.on(GetCommand).resolves({ Item: stored(token, { tokenHash: hashApiKey(issueApiKey().token) }) });
    await expect(authorize(event(`Bearer ${token}`))).rejects.toThrow('Unauthorized');
  });

  it('refuses an expired key', async () => {
    const { token } = issueApiKey();
    ddb.on(GetCommand).resolves({ Item: stored(token, { expiresAt: '2020-01-01T00:00:00.000Z' }) });
    await expect(authorize(event(`Bearer ${token}`))).rejects.toThrow('Unauthorized');
  });

  it('refuses malformed keys and headers without reading the table', async () => {
    for (const header of ['Bearer crk_nonsense', 'Basic abc', 'Bearer', ''])
      await expect(authorize(event(header))).rejects.toThrow('Unauthorized');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('passes a Clerk JWT through (issuer, audience, signature checked against the JWKS)', async () => {
    const token = await signDevToken(keys, 'carol', { claims: { azp: 'https://app.example' } });
    expect(await authorize(event(`Bearer ${token}`))).toEqual({
      isAuthorized: true,
      context: { userId: 'carol', authType: 'jwt', scopes: '', keyId: '', azp: 'https://app.example' },
    });
    await expect(authorize(event(`Bearer ${await signDevToken(keys, 'carol', { audience: 'someone-else' })}`))).rejects.toThrow(
      'Unauthorized',
    );
    await expect(authorize(event(`Bearer ${await signDevToken(keys, 'carol', { issuer: 'https://evil.example' })}`))).rejects.toThrow(
      'Unauthorized',
    );
    await expect(authorize(event(`Bearer ${await signDevToken(keys, 'carol', { expiresIn: '-1m' })}`))).rejects.toThrow('Unauthorized');
    expect(ddb.calls()).toHaveLength(0);
  });
});
