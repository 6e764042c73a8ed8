import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalBluesky, type LocalBluesky } from '../../dev/bluesky';
import { BLUESKY_METRICS_BATCH, blueskyConnector, MARKER_FIELD } from '../../shared/connectors/bluesky';
import { ConnectorError, type ConnectedAccount, type ConnectionSecret } from '../../shared/connectors/connector';

/** The Bluesky connector against the real reference PDS (records written and read back) and the local App View. */
let bluesky: LocalBluesky;
let dataDir: string;
let connector: ReturnType<typeof blueskyConnector>;
let alice: { did: string; handle: string; password: string; appPassword: string };
let account: ConnectedAccount;
let secret: ConnectionSecret;
let requests = 0;

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof ConnectorError ? error.failure : `not a ConnectorError: ${String(error)}`),
  );
const getRecord = async (uri: string) => {
  const [, repo, collection, rkey] = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri) ?? [];
  const response = await fetch(`${bluesky.serviceUrl}/xrpc/com.atproto.repo.getRecord?${new URLSearchParams({ repo, collection, rkey })}`);
  return (await response.json()) as { uri: string; value: Record<string, any> };
};
const png = () => {
  const image = new PNG({ width: 4, height: 4 });
  image.data.fill(200);
  return new Uint8Array(PNG.sync.write(image));
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crescendo-bluesky-'));
  bluesky = await startLocalBluesky(dataDir);
  const counting: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  connector = blueskyConnector(() => ({ serviceUrl: bluesky.serviceUrl, appViewUrl: bluesky.appViewUrl, timeoutMs: 5000 }), counting);
  alice = await bluesky.createAccount('alice.test');
}, 60_000);

afterAll(async () => {
  await bluesky?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('connect with a handle and an app password', () => {
  it('opens a session with the app password: the account is the DID and handle, the secret keeps the session and the app password', async () => {
    ({ account, secret } = await connector.connect('@alice.test', alice.appPassword));
    expect(account).toEqual({ platform: 'bluesky', accountId: alice.did, handle: 'alice.test', scopes: ['com.atproto.appPass'] });
    expect(secret).toMatchObject({ appPassword: alice.appPassword, refreshToken: expect.any(String), accessToken: expect.any(String) });
    expect(Date.parse(secret.expiresAt ?? '')).toBeGreaterThan(Date.now());
  });

  it('refuses a wrong app password', async () => {
    const error = await connector.connect('alice.test', 'aaaa-bbbb-cccc-dddd').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ failure: 'refused', message: 'Bluesky refused the handle or app password' });
  });

  it('refuses the account password: only an app password may be kept', async () => {
    const error = await connector.connect('alice.test', alice.password).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ failure: 'refused', message: expect.stringContaining('create an app password') });
  });
});

describe('publish, find, metrics', () => {
  const since = new Date(Date.now() - 60_000).toISOString();
  let published: Awaited<ReturnType<typeof connector.publish>>;

  it('publishes a post with an image as a real record, read back from the PDS', async () => {
    const before = requests;
    published = await connector.publish(account, secret, {
      text: 'Three budgeting habits that stick 👨‍👩‍👧‍👦 #budgeting https://example.com/guide',
      image: { bytes: png(), mimeType: 'image/png', alt: 'A grey square' },
      marker: 'cr1-first',
    });
    expect(requests - before).toBe(2); // uploadBlob + createRecord
    expect(published.platformPostId).toMatch(new RegExp(`^at://${alice.did}/app\\.bsky\\.feed\\.post/[a-z2-7]{13}$`));
    expect(published.url).toBe(`https://bsky.app/profile/alice.test/post/${published.platformPostId.split('/').pop()}`);
    const { value } = await getRecord(published.platformPostId);
    expect(value).toMatchObject({
      $type: 'app.bsky.feed.post',
      text: 'Three budgeting habits that stick 👨‍👩‍👧‍👦 #budgeting https://example.com/guide',
      createdAt: published.publishedAt,
      [MARKER_FIELD]: 'cr1-first',
      embed: { $type: 'app.bsky.embed.images', images: [{ alt: 'A grey square', image: { mimeType: 'image/png' } }] },
    });
    const bytes = new TextEncoder().encode(value.text);
    const spans = (value.facets as { index: { byteStart: number; byteEnd: number } }[]).map(({ index }) =>
      new TextDecoder().decode(bytes.slice(index.byteStart, index.byteEnd)),
    );
    expect(spans).toEqual(['#budgeting', 'https://example.com/guide']);
  });

  it('refuses what the rules refuse before sending anything, and what the PDS refuses', async () => {
    const before = requests;
    const image = { bytes: new Uint8Array(1_000_001), mimeType: 'image/png', alt: 'too big' };
    expect(await failureOf(connector.publish(account, secret, { text: 'hi', image, marker: 'cr1-big' }))).toBe('refused');
    expect(requests).toBe(before);
    expect(await failureOf(connector.publish(account, secret, { text: 'a'.repeat(301), marker: 'cr1-long' }))).toBe('refused');
  });

  it('finds a post by its marker, and nothing for a marker it never published', async () => {
    await connector.publish(account, secret, { text: 'A second post', marker: 'cr1-second' });
    expect(await connector.findByMarker(account, secret, 'cr1-first', since)).toEqual(published);
    expect(await connector.findByMarker(account, secret, 'cr1-never', since)).toBeUndefined();
    expect(await connector.findByMarker(account, secret, 'cr1-first', new Date(Date.now() + 60_000).toISOString())).toBeUndefined();
  });

  it('reads like, reply and repost counts through the App View, 25 posts a request', async () => {
    bluesky.setPostCounts(published.platformPostId, { likeCount: 12, replyCount: 3, repostCount: 4, quoteCount: 1 });
    const others = [];
    for (let i = 0; i < 29; i++)
      others.push((await connector.publish(account, secret, { text: `Post ${i}`, marker: `cr1-p${i}` })).platformPostId);
    const before = bluesky.appViewRequests()['app.bsky.feed.getPosts'] ?? 0;
    const metrics = await connector.fetchMetrics(account, secret, [published.platformPostId, ...others]);
    expect((bluesky.appViewRequests()['app.bsky.feed.getPosts'] ?? 0) - before).toBe(Math.ceil(30 / BLUESKY_METRICS_BATCH));
    expect(metrics.size).toBe(30);
    expect(metrics.get(published.platformPostId)).toEqual({ likes: 12, comments: 3, shares: 5 });
    expect(metrics.get(others[0]!)).toEqual({ likes: 0, comments: 0, shares: 0 });
  });

  it('reads the follower count through the App View profile', async () => {
    bluesky.setFollowers(alice.did, 1234);
    expect(await connector.fetchFollowerCount(account, secret)).toBe(1234);
  });
});

describe('refresh and revoke', () => {
  it('refreshes the session: a new one, the app password kept', async () => {
    const fresh = await connector.refresh(account, secret);
    expect(fresh.refreshToken).not.toBe(secret.refreshToken);
    expect(fresh.appPassword).toBe(alice.appPassword);
    secret = fresh;
  });

  it('opens a new session with the app password when the refresh is refused', async () => {
    const bob = await bluesky.createAccount('bob.test');
    const connected = await connector.connect('bob.test', bob.appPassword);
    await connector.revoke(connected.account, connected.secret);
    const fresh = await connector.refresh(connected.account, connected.secret);
    expect(fresh.refreshToken).not.toBe(connected.secret.refreshToken);
    await connector.publish(connected.account, fresh, { text: 'Still here', marker: 'cr1-bob' });
  });

  it('throws reauth_required when the refresh is refused and the app password too', async () => {
    const carol = await bluesky.createAccount('carol.test');
    const connected = await connector.connect('carol.test', carol.appPassword);
    await connector.revoke(connected.account, connected.secret);
    await bluesky.revokeAppPassword('carol.test');
    expect(await failureOf(connector.refresh(connected.account, connected.secret))).toBe('reauth_required');
  });

  it('revoke deletes the session at the PDS: its refresh token is refused afterwards', async () => {
    await connector.revoke(account, secret);
    const response = await fetch(`${bluesky.serviceUrl}/xrpc/com.atproto.server.refreshSession`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret.refreshToken}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'ExpiredToken' });
    await connector.revoke(account, secret); // twice: already gone is fine
  });
});
