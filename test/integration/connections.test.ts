import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { keys } from '../../shared/db/keys';
import { withConnection } from '../../shared/app/connections';
import { connectors } from '../../shared/connectors';
import type { ConnectorError } from '../../shared/connectors/connector';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

/**
 * Connecting X on the local stack against the local X server (dev/x-server.ts): the OAuth 2.0 PKCE
 * round trip, the single-use state, what GET /connections shows (never a token), refresh before
 * expiry, a refused refresh → needs_reauth (notification + webhook event), DELETE revoking at X.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

/** The creator's browser: X's consent page (accepted at once by the local server) redirects back with the code. */
async function consent(authorizationUrl: string): Promise<string> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const callback = new URL(response.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${stack.apiUrl}/connections/x/callback`);
  return callback.pathname + callback.search;
}

async function connectX(token: string): Promise<{ status: number; body: any }> {
  const started = await api('POST', '/connections/x', { token, body: {} });
  expect(started.status).toBe(200);
  return api('GET', await consent(started.body.data.authorizationUrl));
}

const emitter = () => ({
  TABLE_NAME: stack.tableName,
  EVENT_BUS_NAME: stack.eventBusName,
  WEBHOOK_DELIVERY_FUNCTION_NAME: process.env.WEBHOOK_DELIVERY_FUNCTION_NAME!,
});

describe('connecting X', () => {
  it('runs the PKCE round trip, stores the tokens sealed and shows the connection without them', async () => {
    const alice = await fixtures.creator('conn-alice', { profile: false });
    const started = await api('POST', '/connections/x', { token: alice.token, body: {} });
    expect(started.status).toBe(200);
    const url = new URL(started.body.data.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('tweet.read tweet.write users.read media.write offline.access');
    const callbackPath = await consent(started.body.data.authorizationUrl);

    const done = await api('GET', callbackPath);
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ platform: 'x', handle: 'XDevelopers', accountId: '2244994945', status: 'active' });

    // Single-use: the same state again is refused.
    expect((await api('GET', callbackPath)).body.error.code).toBe('CONNECTION_STATE_INVALID');

    const listed = await api('GET', '/connections', { token: alice.token });
    expect(listed.body.data).toEqual([expect.objectContaining({ platform: 'x', status: 'active', tokenExpiresAt: expect.any(String) })]);
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.connection(alice.userId, 'x') }));
    expect(Item?.sealed?.ciphertext).toEqual(expect.any(String));
    // No token in clear anywhere in the item or in what the API answered.
    const issued = stack.x.tokensIssued();
    for (const token of issued) {
      expect(JSON.stringify(Item)).not.toContain(token);
      expect(JSON.stringify(listed.body)).not.toContain(token);
      expect(JSON.stringify(done.body)).not.toContain(token);
    }
  });

  it('refuses a state of another platform route, an unknown state, a redirect URI off the allow-list', async () => {
    const bob = await fixtures.creator('conn-bob', { profile: false });
    expect((await api('GET', '/connections/x/callback?state=nope&code=abc')).body.error.code).toBe('CONNECTION_STATE_INVALID');
    const refused = await api('POST', '/connections/x', { token: bob.token, body: { redirectUri: 'https://evil.example/cb' } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('REDIRECT_URI_NOT_ALLOWED');
    const password = await api('POST', '/connections/x', { token: bob.token, body: { handle: 'bob', appPassword: 'x' } });
    expect(password.body.error.code).toBe('CONNECTION_METHOD_MISMATCH');
  });

  it('refreshes tokens about to expire, and a refused refresh marks the connection needs_reauth once, with a notification', async () => {
    const carol = await fixtures.creator('conn-carol', { profile: false });
    expect((await connectX(carol.token)).status).toBe(200);
    const key = keys.connection(carol.userId, 'x');
    const followers = (at?: () => Date) =>
      withConnection(emitter(), carol.userId, 'x', (account, secret) => connectors.x.fetchFollowerCount(account, secret), at);
    const version = async () => (await db.send(new GetCommand({ TableName: stack.tableName, Key: key }))).Item!.secretVersion;
    // Two hours later the token (7,200 s) is within the margin: refreshed before the call.
    expect(await followers(() => new Date(Date.now() + 7_100_000))).toBeGreaterThan(0);
    expect(await version()).toBe(2);
    // A token X refuses (401) is refreshed once and the call repeated.
    stack.x.inject('usersMe', { kind: 'revoked' });
    expect(await followers()).toBeGreaterThan(0);
    expect(await version()).toBe(3);

    const [{ accountId }] = (await api('GET', '/connections', { token: carol.token })).body.data;
    stack.x.revokeUser(accountId);
    await expect(followers()).rejects.toMatchObject({ failure: 'reauth_required' } satisfies Partial<ConnectorError>);
    const listed = await api('GET', '/connections', { token: carol.token });
    expect(listed.body.data[0]).toMatchObject({ status: 'needs_reauth', lastError: { message: expect.stringContaining('refused') } });
    const notifications = await api('GET', '/notifications', { token: carol.token });
    expect(notifications.body.data.filter((n: any) => n.type === 'connection.needs_reauth')).toHaveLength(1);
    stack.x.unrevokeUser(accountId);
  });

  it('DELETE revokes the tokens at X, then removes the connection', async () => {
    const dave = await fixtures.creator('conn-dave', { profile: false });
    expect((await connectX(dave.token)).status).toBe(200);
    const before = stack.x.revokes().length;
    expect((await api('DELETE', '/connections/x', { token: dave.token })).status).toBe(204);
    const revokes = stack.x.revokes().slice(before);
    expect(revokes.map((r) => r.hint).sort()).toEqual(['access_token', 'refresh_token']);
    expect((await api('GET', '/connections', { token: dave.token })).body.data).toEqual([]);
    expect((await api('DELETE', '/connections/x', { token: dave.token })).body.error.code).toBe('CONNECTION_NOT_FOUND');
  });
});
