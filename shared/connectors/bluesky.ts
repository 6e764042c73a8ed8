import type { PostMetrics } from '../schemas/execution';
import { imageViolations } from '../domain/platform-rules';
import { ConnectorError, type ConnectedAccount, type ConnectionSecret, type Connector, type PublishedPost } from './connector';

/**
 * Bluesky (AT Protocol) for one creator's account, over plain XRPC (HTTP + JSON) as the published
 * lexicons define it: no OAuth, a handle and an app password checked by
 * `com.atproto.server.createSession`, whose session is refreshed with `refreshSession`. Posts are
 * `app.bsky.feed.post` records in the account's repository (`com.atproto.repo.createRecord`,
 * images through `uploadBlob` + `app.bsky.embed.images`); counts come from the App View
 * (`app.bsky.feed.getPosts`, `app.bsky.actor.getProfile`). Endpoints come from configuration
 * (`BLUESKY_SERVICE_URL`, `BLUESKY_APPVIEW_URL`): bsky.social and the public App View in the cloud,
 * the reference PDS and the local App View in dev/.
 * Lexicons: https://github.com/bluesky-social/atproto/tree/main/lexicons (com/atproto/server,
 * com/atproto/repo, app/bsky/feed/post.json, app/bsky/feed/getPosts.json, app/bsky/actor/getProfile.json).
 */

export interface BlueskySettings {
  serviceUrl: string;
  appViewUrl: string;
  /** Per request; a post whose createRecord times out is `outcome_unknown`. */
  timeoutMs: number;
}

const POST = 'app.bsky.feed.post';
/** app.bsky.feed.getPosts takes at most 25 URIs (its lexicon's `uris` maxLength). */
export const BLUESKY_METRICS_BATCH = 25;
/** The record field that carries Crescendo's marker: records are open objects, so the PDS stores it and the App View ignores it. */
export const MARKER_FIELD = 'crescendoMarker';
/** Scopes of a session opened with an app password (privileged: with DM access); an account password gives `com.atproto.access`. */
const APP_PASSWORD_SCOPES = ['com.atproto.appPass', 'com.atproto.appPassPrivileged'];
/** XRPC error names that mean the session is gone (a refused or revoked token), not a bad request. */
const SESSION_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AccountTakedown', 'AccountDeactivated']);
/** findByMarker reads at most this many pages of 100 records back to `since`. */
const MARKER_PAGES = 10;

interface Session {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}
interface RepoRecord {
  uri: string;
  value: { createdAt?: string; [MARKER_FIELD]?: string };
}
interface PostView {
  uri: string;
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  quoteCount?: number;
}

/** The JWT's claims, unverified: only to read the expiry and scope the service gave its own token. */
function claimsOf(jwt: string): { exp?: number; scope?: string } {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number; scope?: string };
  } catch {
    return {};
  }
}

function secretOf(session: Session, appPassword: string | undefined): ConnectionSecret {
  const { exp } = claimsOf(session.accessJwt);
  return {
    accessToken: session.accessJwt,
    refreshToken: session.refreshJwt,
    ...(exp && { expiresAt: new Date(exp * 1000).toISOString() }),
    ...(appPassword && { appPassword }),
  };
}

/** The post's page on bsky.app: profile handle and the record key of its AT URI. */
export const postUrl = (handle: string, uri: string) =>
  `https://bsky.app/profile/${encodeURIComponent(handle)}/post/${encodeURIComponent(uri.split('/').pop() ?? '')}`;

const utf8 = new TextEncoder();
const HASHTAG = /(^|\s)#([^\s#.,!?;:()[\]{}"']*[^\d\s#.,!?;:()[\]{}"'][^\s#.,!?;:()[\]{}"']*)/gu;
const LINK = /(^|\s)(https?:\/\/[^\s]+[^\s.,!?;:)])/gu;

/**
 * Rich-text facets for the hashtags and links of a post (app.bsky.richtext.facet): without them
 * Bluesky shows `#tag` and URLs as plain text. Byte offsets are UTF-8, as the lexicon defines them.
 */
export function facetsOf(text: string): { index: { byteStart: number; byteEnd: number }; features: Record<string, string>[] }[] {
  const byteIndex = (index: number) => utf8.encode(text.slice(0, index)).length;
  const found = (pattern: RegExp, feature: (value: string) => Record<string, string>, prefixLength: number) =>
    [...text.matchAll(pattern)].map((match) => {
      const start = (match.index ?? 0) + (match[1] ?? '').length;
      const value = match[2] ?? '';
      return { start, end: start + prefixLength + value.length, feature: feature(value) };
    });
  return [
    ...found(HASHTAG, (tag) => ({ $type: 'app.bsky.richtext.facet#tag', tag }), 1),
    ...found(LINK, (uri) => ({ $type: 'app.bsky.richtext.facet#link', uri }), 0),
  ]
    .sort((a, b) => a.start - b.start)
    .map(({ start, end, feature }) => ({ index: { byteStart: byteIndex(start), byteEnd: byteIndex(end) }, features: [feature] }));
}

const retryAfterOf = (response: Response): number | undefined => {
  const retryAfter = Number(response.headers.get('retry-after'));
  if (retryAfter > 0) return retryAfter;
  const reset = Number(response.headers.get('ratelimit-reset'));
  return reset > 0 ? Math.max(1, Math.ceil(reset - Date.now() / 1000)) : undefined;
};

/** What a failed XRPC response means (429 → rate_limited, a refused session → reauth_required, 5xx → unavailable, other 4xx → refused). */
async function failure(response: Response, what: string): Promise<ConnectorError> {
  const text = await response.text().catch(() => '');
  let error = '';
  try {
    error = String((JSON.parse(text) as { error?: unknown }).error ?? '');
  } catch {
    // not an XRPC error body
  }
  const message = `Bluesky ${what}: HTTP ${response.status} ${text.slice(0, 200)}`;
  if (response.status === 429) return new ConnectorError('rate_limited', message, retryAfterOf(response));
  if (response.status === 401 || SESSION_ERRORS.has(error)) return new ConnectorError('reauth_required', message);
  if (response.status >= 500) return new ConnectorError('unavailable', message);
  return new ConnectorError('refused', message);
}

export function blueskyConnector(
  settings: () => BlueskySettings,
  fetcher: typeof fetch = fetch,
): Connector & { connect(identifier: string, appPassword: string): Promise<{ account: ConnectedAccount; secret: ConnectionSecret }> } {
  const call = async (
    service: 'pds' | 'appview',
    nsid: string,
    init: { what: string; token?: string; query?: URLSearchParams; json?: unknown; bytes?: Uint8Array; contentType?: string },
  ): Promise<Response> => {
    const { serviceUrl, appViewUrl, timeoutMs } = settings();
    const url = new URL(`/xrpc/${nsid}`, service === 'pds' ? serviceUrl : appViewUrl);
    if (init.query) url.search = init.query.toString();
    const headers = new Headers();
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    } else if (init.bytes) {
      headers.set('content-type', init.contentType ?? 'application/octet-stream');
      body = Buffer.from(init.bytes);
    }
    const method = init.json !== undefined || init.bytes || nsid.startsWith('com.atproto.server.') ? 'POST' : 'GET';
    try {
      return await fetcher(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ConnectorError('unavailable', `Bluesky ${init.what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const json = async <T>(response: Response, what: string): Promise<T> => {
    if (!response.ok) throw await failure(response, what);
    return (await response.json()) as T;
  };
  const createSession = async (identifier: string, password: string) => {
    const response = await call('pds', 'com.atproto.server.createSession', { what: 'create session', json: { identifier, password } });
    if (response.status === 401) throw new ConnectorError('refused', 'Bluesky refused the handle or app password');
    return json<Session>(response, 'create session');
  };
  const deleteSession = async (refreshToken: string) => {
    const response = await call('pds', 'com.atproto.server.deleteSession', { what: 'delete session', token: refreshToken });
    // A session already gone is what revoking wants.
    if (!response.ok && response.status !== 400 && response.status !== 401) throw await failure(response, 'delete session');
  };

  return {
    platform: 'bluesky',

    async connect(identifier, appPassword) {
      const session = await createSession(identifier.trim().replace(/^@/, ''), appPassword);
      const scope = claimsOf(session.accessJwt).scope ?? '';
      if (!APP_PASSWORD_SCOPES.includes(scope)) {
        await deleteSession(session.refreshJwt);
        throw new ConnectorError('refused', 'That is the account password: create an app password in Bluesky (Settings → App passwords)');
      }
      return {
        account: { platform: 'bluesky', accountId: session.did, handle: session.handle, scopes: [scope] },
        secret: secretOf(session, appPassword),
      };
    },

    async publish(account, secret, post) {
      const images = post.image ? [{ byteLength: post.image.bytes.byteLength, mimeType: post.image.mimeType, alt: post.image.alt }] : [];
      const violations = imageViolations('bluesky', images);
      if (violations.length) throw new ConnectorError('refused', violations.map((violation) => violation.message).join(' '));
      let embed: unknown;
      if (post.image) {
        const { blob } = await json<{ blob: unknown }>(
          await call('pds', 'com.atproto.repo.uploadBlob', {
            what: 'upload blob',
            token: secret.accessToken,
            bytes: post.image.bytes,
            contentType: post.image.mimeType,
          }),
          'upload blob',
        );
        embed = { $type: 'app.bsky.embed.images', images: [{ image: blob, alt: post.image.alt }] };
      }
      const createdAt = new Date().toISOString();
      const facets = facetsOf(post.text);
      const record = {
        $type: POST,
        text: post.text,
        createdAt,
        ...(facets.length && { facets }),
        ...(embed !== undefined && { embed }),
        [MARKER_FIELD]: post.marker,
      };
      let response: Response;
      try {
        response = await call('pds', 'com.atproto.repo.createRecord', {
          what: 'create post',
          token: secret.accessToken,
          json: { repo: account.accountId, collection: POST, record },
        });
      } catch (error) {
        // The request may have left: the PDS may have written the record. Only a lookup by marker can tell.
        throw new ConnectorError('outcome_unknown', error instanceof Error ? error.message : String(error));
      }
      if (response.status >= 500) throw new ConnectorError('outcome_unknown', `Bluesky create post: HTTP ${response.status}`);
      const created = await json<{ uri: string }>(response, 'create post');
      return { platformPostId: created.uri, url: postUrl(account.handle, created.uri), publishedAt: createdAt };
    },

    async findByMarker(account, _secret, marker, since) {
      let cursor: string | undefined;
      for (let page = 0; page < MARKER_PAGES; page++) {
        const query = new URLSearchParams({ repo: account.accountId, collection: POST, limit: '100' });
        if (cursor) query.set('cursor', cursor);
        const listed = await json<{ records: RepoRecord[]; cursor?: string }>(
          await call('pds', 'com.atproto.repo.listRecords', { what: 'list records', query }),
          'list records',
        );
        // Newest first (record keys are TIDs, timestamps): stop at the first record older than `since`.
        for (const { uri, value } of listed.records) {
          if (value[MARKER_FIELD] === marker)
            return {
              platformPostId: uri,
              url: postUrl(account.handle, uri),
              publishedAt: value.createdAt ?? since,
            } satisfies PublishedPost;
          if (value.createdAt && value.createdAt < since) return undefined;
        }
        if (!listed.cursor || listed.records.length === 0) return undefined;
        cursor = listed.cursor;
      }
      return undefined;
    },

    async fetchMetrics(_account, _secret, platformPostIds) {
      const metrics = new Map<string, PostMetrics>();
      for (let start = 0; start < platformPostIds.length; start += BLUESKY_METRICS_BATCH) {
        const query = new URLSearchParams();
        for (const uri of platformPostIds.slice(start, start + BLUESKY_METRICS_BATCH)) query.append('uris', uri);
        const { posts } = await json<{ posts: PostView[] }>(
          await call('appview', 'app.bsky.feed.getPosts', { what: 'get posts', query }),
          'get posts',
        );
        for (const view of posts) {
          metrics.set(view.uri, {
            likes: view.likeCount ?? 0,
            comments: view.replyCount ?? 0,
            shares: (view.repostCount ?? 0) + (view.quoteCount ?? 0),
          });
        }
      }
      return metrics;
    },

    async fetchFollowerCount(account) {
      const profile = await json<{ followersCount?: number }>(
        await call('appview', 'app.bsky.actor.getProfile', {
          what: 'get profile',
          query: new URLSearchParams({ actor: account.accountId }),
        }),
        'get profile',
      );
      return profile.followersCount ?? 0;
    },

    async refresh(account, secret) {
      if (secret.refreshToken) {
        try {
          const session = await json<Session>(
            await call('pds', 'com.atproto.server.refreshSession', { what: 'refresh session', token: secret.refreshToken }),
            'refresh session',
          );
          return secretOf(session, secret.appPassword);
        } catch (error) {
          if (!(error instanceof ConnectorError && error.failure === 'reauth_required')) throw error;
        }
      }
      // The session is gone (revoked, expired): the app password opens a new one, unless it was revoked too.
      if (!secret.appPassword) throw new ConnectorError('reauth_required', 'Bluesky refused the session and no app password is kept');
      try {
        return secretOf(await createSession(account.accountId, secret.appPassword), secret.appPassword);
      } catch (error) {
        if (error instanceof ConnectorError && error.failure === 'refused')
          throw new ConnectorError('reauth_required', 'Bluesky refused the session and the app password');
        throw error;
      }
    },

    async revoke(_account, secret) {
      if (secret.refreshToken) await deleteSession(secret.refreshToken);
    },
  };
}
