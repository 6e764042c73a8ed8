import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

// One second of authorizer cache instead of the cloud's 60: revocation is observable without waiting a minute.
const CACHE_TTL_SECONDS = 1;

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
const tokens: Record<string, string> = {};
const campaigns: Record<string, string> = {};
let aliceReadKey: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  fixtures = await startFixtures({ bearerCacheTtlSeconds: CACHE_TTL_SECONDS });
  ({ stack, api } = fixtures);
  for (const user of ['keys-alice', 'keys-bob']) {
    const creator = await fixtures.creator(user, { profile: false });
    tokens[user] = creator.token;
    campaigns[user] = (await creator.campaign({ name: `${user}'s launch` }).draft()).campaignId;
  }
}, 60_000);
afterAll(() => stack?.dispose());

const createKey = (user: string, body: Record<string, unknown>) =>
  api('POST', '/api-keys', { token: tokens[user], body: { name: 'Zapier', ...body } });

describe('API keys', () => {
  it('a campaigns:read key lists its own creator’s campaigns (never another’s) and gets 403 on start', async () => {
    const created = await createKey('keys-alice', { scopes: ['campaigns:read'] });
    expect(created.status).toBe(201);
    const { key, keyId } = created.body.data;
    expect(key).toMatch(/^crk_/);
    aliceReadKey = key;

    const listed = await api('GET', '/campaigns', { token: key });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: { campaignId: string }) => c.campaignId)).toEqual([campaigns['keys-alice']]);
    // The limiter counts key calls per user, like the creator's own.
    expect(Number(listed.headers.get('ratelimit-remaining'))).toBeLessThan(Number(listed.headers.get('ratelimit-limit')));
    expect((await api('GET', `/campaigns/${campaigns['keys-bob']}`, { token: key })).body.error.code).toBe('CAMPAIGN_NOT_FOUND');

    const start = await api('POST', `/campaigns/${campaigns['keys-alice']}/start`, { token: key });
    expect(start.status).toBe(403);
    expect(start.body.error).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { requiredScope: 'campaigns:write' } });
    expect((await api('GET', `/campaigns/${campaigns['keys-alice']}/schedule`, { token: key })).body.error.code).toBe('INSUFFICIENT_SCOPE');

    // JWT-only routes (key management, the account) never accept a key: the JWT authorizer refuses it.
    for (const [method, path] of [
      ['POST', '/api-keys'],
      ['GET', '/api-keys'],
      [`DELETE`, `/api-keys/${keyId}`],
      ['GET', '/account'],
      ['DELETE', '/account'],
    ]) {
      const res = await api(method, path, {
        token: key,
        body: method === 'POST' ? { name: 'escalate', scopes: ['campaigns:write'] } : undefined,
      });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('shows the key once: the list has its prefix and last 4 characters, never the key', async () => {
    const created = await createKey('keys-bob', { scopes: ['schedule:read', 'campaigns:write'], expiresAt: '2099-01-01T00:00:00Z' });
    const { key, keyId } = created.body.data;
    const listed = await api('GET', '/api-keys?limit=1', { token: tokens['keys-bob'] });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      {
        keyId,
        name: 'Zapier',
        scopes: ['schedule:read', 'campaigns:write'],
        prefix: key.slice(0, 12),
        last4: key.slice(-4),
        expiresAt: '2099-01-01T00:00:00.000Z',
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(12, -4));
    // Another creator's list is their own.
    expect((await api('GET', '/api-keys', { token: tokens['keys-alice'] })).body.data.map((k: { keyId: string }) => k.keyId)).not.toContain(
      keyId,
    );
    expect((await api('DELETE', `/api-keys/${keyId}`, { token: tokens['keys-alice'] })).body.error.code).toBe('API_KEY_NOT_FOUND');
  });

  it('a revoked key works until the authorizer cache expires, then gets 401; an expired key gets 401', async () => {
    const revoked = (await createKey('keys-alice', { scopes: ['campaigns:read'] })).body.data;
    const expiring = await createKey('keys-bob', { scopes: ['campaigns:read'], expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await api('GET', '/campaigns', { token: revoked.key })).status).toBe(200);
    expect((await api('GET', '/campaigns', { token: expiring.body.data.key })).status).toBe(200);

    expect((await api('DELETE', `/api-keys/${revoked.keyId}`, { token: tokens['keys-alice'] })).status).toBe(204);
    expect((await api('DELETE', `/api-keys/${revoked.keyId}`, { token: tokens['keys-alice'] })).body.error.code).toBe('API_KEY_NOT_FOUND');
    // Still the cached answer: revocation takes effect within the cache TTL.
    expect((await api('GET', '/campaigns', { token: revoked.key })).status).toBe(200);

    await sleep(Math.max(CACHE_TTL_SECONDS * 1000, Date.parse(expiring.body.data.expiresAt) - Date.now()) + 200);
    expect((await api('GET', '/campaigns', { token: revoked.key })).status).toBe(401);
    expect((await api('GET', '/campaigns', { token: expiring.body.data.key })).status).toBe(401);
    // A forged key with a real id but another secret, and a JWT of the wrong issuer, get 401 too.
    const forged = `${aliceReadKey.slice(0, 31)}${'A'.repeat(43)}`;
    expect((await api('GET', '/campaigns', { token: aliceReadKey })).status).toBe(200);
    expect((await api('GET', '/campaigns', { token: forged })).status).toBe(401);
    expect((await api('GET', '/campaigns', { token: await stack.token('keys-alice', { issuer: 'https://evil.example' }) })).status).toBe(
      401,
    );
  });

  it('caps the keys at the plan’s limit with 402 QUOTA_EXCEEDED; GET /account counts them; revoking frees a unit', async () => {
    // keys-alice has 1 key left after the revocation above; the free plan allows 2.
    const second = await createKey('keys-alice', { scopes: ['webhooks:write'] });
    expect(second.status).toBe(201);
    const refused = await createKey('keys-alice', { scopes: ['webhooks:write'] });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { limit: 'apiKeys', usage: 3, limitValue: 2 } });
    const account = (await api('GET', '/account', { token: tokens['keys-alice'] })).body.data;
    expect(account.usage.apiKeys).toBe(2);
    expect(account.quotas).toContainEqual({ limit: 'apiKeys', used: 2, max: 2 });
    expect((await api('DELETE', `/api-keys/${second.body.data.keyId}`, { token: tokens['keys-alice'] })).status).toBe(204);
    expect((await createKey('keys-alice', { scopes: ['webhooks:write'] })).status).toBe(201);
  });
});
