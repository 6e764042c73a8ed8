import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalBluesky } from '../../dev/bluesky';
import { S3RVER_CREDENTIALS } from '../../dev/s3';
import { withConnection } from '../../shared/app/connections';
import { connectors } from '../../shared/connectors';
import { keys } from '../../shared/db/keys';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';

/**
 * Connecting Bluesky through the routes, on the local stack with the real reference PDS: a handle
 * and an app password (no OAuth), kept sealed, never shown; a wrong password is a 4xx; the
 * connection publishes real records and reads counts; DELETE ends the session at the PDS.
 */
let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let bluesky: LocalBluesky;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  fixtures = await startFixtures({ bluesky: true });
  ({ stack, api } = fixtures);
  bluesky = stack.bluesky!;
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials: S3RVER_CREDENTIALS }),
  );
}, 180_000);

afterAll(async () => {
  await stack?.dispose();
});

const emitter = () => ({
  TABLE_NAME: stack.tableName,
  EVENT_BUS_NAME: stack.eventBusName,
  WEBHOOK_DELIVERY_FUNCTION_NAME: process.env.WEBHOOK_DELIVERY_FUNCTION_NAME!,
});

describe('connecting Bluesky', () => {
  it('connects with a handle and an app password, keeps them sealed and shows the account without them', async () => {
    const alice = await fixtures.creator('bsky-alice', { profile: false });
    const account = await bluesky.createAccount('alice.test');
    const started = await api('POST', '/connections/bluesky', {
      token: alice.token,
      body: { handle: 'alice.test', appPassword: account.appPassword },
    });
    expect(started.status).toBe(200);
    expect(started.body.data.authorizationUrl).toBeUndefined();
    expect(started.body.data.connection).toMatchObject({
      platform: 'bluesky',
      accountId: account.did,
      handle: 'alice.test',
      scopes: ['com.atproto.appPass'],
      status: 'active',
    });
    const listed = await api('GET', '/connections', { token: alice.token });
    expect(listed.body.data).toEqual([
      expect.objectContaining({ platform: 'bluesky', status: 'active', tokenExpiresAt: expect.any(String) }),
    ]);
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: keys.connection(alice.userId, 'bluesky') }));
    for (const seen of [JSON.stringify(Item), JSON.stringify(listed.body), JSON.stringify(started.body)]) {
      expect(seen).not.toContain(account.appPassword);
      expect(seen).not.toMatch(/eyJ[\w-]*\.eyJ[\w-]*\./); // no JWT (session token) in clear; base64 ciphertext may hold 'eyJ' but never a dot
    }
  });

  it('answers a wrong app password, or the account password, with 422 CONNECTION_REFUSED and no connection', async () => {
    const bob = await fixtures.creator('bsky-bob', { profile: false });
    const account = await bluesky.createAccount('bob.test');
    for (const appPassword of ['aaaa-bbbb-cccc-dddd', account.password]) {
      const refused = await api('POST', '/connections/bluesky', { token: bob.token, body: { handle: 'bob.test', appPassword } });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('CONNECTION_REFUSED');
    }
    expect((await api('GET', '/connections', { token: bob.token })).body.data).toEqual([]);
    const oauth = await api('POST', '/connections/bluesky', { token: bob.token, body: {} });
    expect(oauth.body.error.code).toBe('CONNECTION_METHOD_MISMATCH');
  });

  it('publishes through the stored connection, reads the record back, its counts and the follower count', async () => {
    const carol = await fixtures.creator('bsky-carol', { profile: false });
    const account = await bluesky.createAccount('carol.test');
    const started = await api('POST', '/connections/bluesky', {
      token: carol.token,
      body: { handle: 'carol.test', appPassword: account.appPassword },
    });
    expect(started.status).toBe(200);
    const published = await withConnection(emitter(), carol.userId, 'bluesky', (connected, secret) =>
      connectors.bluesky.publish(connected, secret, { text: 'Day 1: the one budgeting habit #money', marker: 'cr1-carol-1' }),
    );
    const rkey = published.platformPostId.split('/').pop()!;
    const record = await fetch(
      `${bluesky.serviceUrl}/xrpc/com.atproto.repo.getRecord?${new URLSearchParams({ repo: account.did, collection: 'app.bsky.feed.post', rkey })}`,
    ).then((response) => response.json());
    expect(record.value).toMatchObject({ text: 'Day 1: the one budgeting habit #money', crescendoMarker: 'cr1-carol-1' });

    bluesky.setPostCounts(published.platformPostId, { likeCount: 7, replyCount: 2, repostCount: 1 });
    bluesky.setFollowers(account.did, 321);
    const [metrics, followers] = await withConnection(emitter(), carol.userId, 'bluesky', (connected, secret) =>
      Promise.all([
        connectors.bluesky.fetchMetrics(connected, secret, [published.platformPostId]),
        connectors.bluesky.fetchFollowerCount(connected, secret),
      ]),
    );
    expect(metrics.get(published.platformPostId)).toEqual({ likes: 7, comments: 2, shares: 1 });
    expect(followers).toBe(321);
  });

  it('a refused session and a revoked app password mark the connection needs_reauth, with a notification', async () => {
    const dave = await fixtures.creator('bsky-dave', { profile: false });
    const account = await bluesky.createAccount('dave.test');
    await api('POST', '/connections/bluesky', { token: dave.token, body: { handle: 'dave.test', appPassword: account.appPassword } });
    await bluesky.revokeAppPassword('dave.test');
    // Three hours later the two-hour session is past its expiry: the refresh is due, and the PDS refuses the app password.
    const later = () => new Date(Date.now() + 3 * 3600_000);
    await withConnection(
      emitter(),
      dave.userId,
      'bluesky',
      (connected, secret) => connectors.bluesky.fetchFollowerCount(connected, secret),
      later,
    )
      .then(() => undefined)
      .catch(() => undefined);
    const listed = await api('GET', '/connections', { token: dave.token });
    expect(listed.body.data[0]).toMatchObject({ platform: 'bluesky', status: 'needs_reauth' });
    const notifications = await api('GET', '/notifications', { token: dave.token });
    expect(notifications.body.data.filter((n: any) => n.type === 'connection.needs_reauth')).toHaveLength(1);
  });

  it('DELETE ends the session at the PDS, then removes the connection', async () => {
    const erin = await fixtures.creator('bsky-erin', { profile: false });
    const account = await bluesky.createAccount('erin.test');
    await api('POST', '/connections/bluesky', { token: erin.token, body: { handle: 'erin.test', appPassword: account.appPassword } });
    const kept = await withConnection(emitter(), erin.userId, 'bluesky', async (_connected, secret) => secret);
    expect((await api('DELETE', '/connections/bluesky', { token: erin.token })).status).toBe(204);
    const refreshed = await fetch(`${bluesky.serviceUrl}/xrpc/com.atproto.server.refreshSession`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kept.refreshToken}` },
    });
    expect(await refreshed.json()).toMatchObject({ error: 'ExpiredToken', message: 'Token has been revoked' });
    expect((await api('GET', '/connections', { token: erin.token })).body.data).toEqual([]);
  });
});
