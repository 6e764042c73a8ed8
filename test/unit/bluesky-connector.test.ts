import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blueskyConnector, facetsOf } from '../../shared/connectors/bluesky';
import { ConnectorError, type ConnectedAccount } from '../../shared/connectors/connector';

const account: ConnectedAccount = {
  platform: 'bluesky',
  accountId: 'did:plc:alice',
  handle: 'alice.test',
  scopes: ['com.atproto.appPass'],
};
const secret = { accessToken: 'access', refreshToken: 'refresh', appPassword: 'aaaa-bbbb-cccc-dddd' };
const settings = () => ({ serviceUrl: 'http://pds.invalid', appViewUrl: 'http://appview.invalid', timeoutMs: 1000 });
const answering =
  (response: () => Response | Promise<Response>): typeof fetch =>
  async () =>
    response();
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof ConnectorError ? { failure: error.failure, retryAfterSeconds: error.retryAfterSeconds } : error),
  );

describe('facetsOf', () => {
  const spans = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    return facetsOf(text).map(({ index, features }) => [
      new TextDecoder().decode(bytes.slice(index.byteStart, index.byteEnd)),
      features[0]?.$type?.split('#')[1],
    ]);
  };

  it('marks hashtags and links at their UTF-8 byte offsets, after emoji and accents', () => {
    expect(spans('Épargne 👨‍👩‍👧‍👦 #budget et https://example.com/a.')).toEqual([
      ['#budget', 'tag'],
      ['https://example.com/a', 'link'],
    ]);
    expect(facetsOf('#budget')[0]?.features[0]).toEqual({ $type: 'app.bsky.richtext.facet#tag', tag: 'budget' });
  });

  it('leaves out numbers, anchors inside words and punctuation after a tag', () => {
    expect(spans('Top #1 tip, C#sharp, #money!')).toEqual([['#money', 'tag']]);
  });

  it('always cuts spans inside the text, for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.constantFrom(' #tag', ' https://a.b/c', ' ')), (text, extras) => {
        const full = text + extras.join('');
        const length = new TextEncoder().encode(full).length;
        for (const { index } of facetsOf(full)) {
          expect(index.byteStart).toBeGreaterThanOrEqual(0);
          expect(index.byteEnd).toBeGreaterThan(index.byteStart);
          expect(index.byteEnd).toBeLessThanOrEqual(length);
        }
      }),
    );
  });
});

describe('what a failed request means', () => {
  const xrpcError = (status: number, error: string, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ error, message: error }), { status, headers: { 'content-type': 'application/json', ...headers } });

  it('429 is rate_limited with the seconds until ratelimit-reset', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 120);
    const connector = blueskyConnector(
      settings,
      answering(() => xrpcError(429, 'RateLimitExceeded', { 'ratelimit-reset': reset })),
    );
    const failure = await failureOf(connector.fetchFollowerCount(account, secret));
    expect(failure).toMatchObject({ failure: 'rate_limited' });
    expect((failure as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(119);
  });

  it('a refused token is reauth_required, 5xx unavailable, another 4xx refused', async () => {
    const failure = (response: Response) =>
      failureOf(
        blueskyConnector(
          settings,
          answering(() => response),
        ).findByMarker(account, secret, 'm', '2026-01-01T00:00:00Z'),
      );
    expect(await failure(xrpcError(400, 'ExpiredToken'))).toMatchObject({ failure: 'reauth_required' });
    expect(await failure(xrpcError(401, 'AuthenticationRequired'))).toMatchObject({ failure: 'reauth_required' });
    expect(await failure(xrpcError(502, 'UpstreamFailure'))).toMatchObject({ failure: 'unavailable' });
    expect(await failure(xrpcError(400, 'InvalidRequest'))).toMatchObject({ failure: 'refused' });
  });

  it('a post whose createRecord times out or fails with 5xx is outcome_unknown: it may exist', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const quick = () => ({ ...settings(), timeoutMs: 100 });
    expect(await failureOf(blueskyConnector(quick, hanging).publish(account, secret, { text: 'hi', marker: 'm' }))).toMatchObject({
      failure: 'outcome_unknown',
    });
    const failing = blueskyConnector(
      settings,
      answering(() => xrpcError(503, 'ServiceUnavailable')),
    );
    expect(await failureOf(failing.publish(account, secret, { text: 'hi', marker: 'm' }))).toMatchObject({ failure: 'outcome_unknown' });
  });
});
