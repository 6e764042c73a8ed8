import { createHash, randomBytes } from 'node:crypto';
import type { PostMetrics } from '../schemas/execution';
import { markerOf } from './marker';
import { ConnectorError, type ConnectedAccount, type ConnectionSecret, type Connector } from './connector';

/**
 * X (API v2) for one creator's account: OAuth 2.0 authorization code with PKCE, tweets, media,
 * public metrics, follower count. Endpoints come from configuration (`X_API_BASE_URL`,
 * `X_AUTHORIZE_URL`), so the same code talks to api.x.com and to the local X server (dev/x-server.ts).
 * References: docs.x.com/resources/fundamentals/authentication/oauth-2-0/user-access-token (PKCE,
 * token, refresh, revoke), docs.x.com/x-api/posts/creation-of-a-post, docs.x.com/x-api/posts/lookup
 * (up to 100 ids per request), docs.x.com/x-api/users/lookup/quickstart/authenticated-lookup.
 */

export interface XSettings {
  apiBaseUrl: string;
  authorizeUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request; a publish that times out after sending is `outcome_unknown`. */
  timeoutMs: number;
}

/** Post and read metrics, nothing more; `offline.access` gives the refresh token. */
export const X_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'media.write', 'offline.access'];

/** GET /2/tweets takes at most 100 ids (docs.x.com/x-api/posts/lookup). */
export const X_METRICS_BATCH = 100;

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
}

/** The PKCE pair (RFC 7636, S256): the verifier stays with Crescendo, the challenge goes to X. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function xAuthorizationUrl(settings: XSettings, redirectUri: string, state: string, challenge: string): string {
  const url = new URL(settings.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri,
    scope: X_SCOPES.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

const tweetUrl = (handle: string, id: string) => `https://x.com/${encodeURIComponent(handle)}/status/${id}`;

function secretOf(token: TokenResponse, now: number): ConnectionSecret {
  return {
    accessToken: token.access_token,
    ...(token.refresh_token && { refreshToken: token.refresh_token }),
    ...(token.expires_in && { expiresAt: new Date(now + token.expires_in * 1000).toISOString() }),
  };
}

const retryAfterOf = (response: Response): number | undefined => {
  const retryAfter = Number(response.headers.get('retry-after'));
  if (retryAfter > 0) return retryAfter;
  const reset = Number(response.headers.get('x-rate-limit-reset'));
  return reset > 0 ? Math.max(1, Math.ceil(reset - Date.now() / 1000)) : undefined;
};

/** What a failed response means to the caller (429 → rate_limited, 401 → reauth_required, 5xx → unavailable, other 4xx → refused). */
async function failure(response: Response, what: string): Promise<ConnectorError> {
  const body = (await response.text().catch(() => '')).slice(0, 200);
  const message = `X ${what}: HTTP ${response.status} ${body}`;
  if (response.status === 429) return new ConnectorError('rate_limited', message, retryAfterOf(response));
  if (response.status === 401) return new ConnectorError('reauth_required', message);
  if (response.status >= 500) return new ConnectorError('unavailable', message);
  return new ConnectorError('refused', message);
}

export function xConnector(
  settings: () => Promise<XSettings>,
  fetcher: typeof fetch = fetch,
): Connector & {
  exchangeCode(code: string, verifier: string, redirectUri: string): Promise<{ account: ConnectedAccount; secret: ConnectionSecret }>;
} {
  const call = async (path: string, init: RequestInit & { token?: string; what: string }): Promise<Response> => {
    const { apiBaseUrl, timeoutMs } = await settings();
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    try {
      return await fetcher(new URL(path, apiBaseUrl), { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new ConnectorError('unavailable', `X ${init.what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const json = async <T>(response: Response, what: string): Promise<T> => {
    if (!response.ok) throw await failure(response, what);
    return (await response.json()) as T;
  };
  const clientAuth = async () => {
    const { clientId, clientSecret } = await settings();
    return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
  };
  const token = async (form: Record<string, string>, what: string) =>
    call('/2/oauth2/token', {
      method: 'POST',
      what,
      headers: { authorization: await clientAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const me = async (accessToken: string) =>
    json<{ data: { id: string; username: string; public_metrics?: { followers_count?: number } } }>(
      await call('/2/users/me?user.fields=public_metrics', { method: 'GET', token: accessToken, what: 'users/me' }),
      'users/me',
    );

  return {
    platform: 'x',

    async exchangeCode(code, verifier, redirectUri) {
      const now = Date.now();
      const response = await token(
        {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: redirectUri,
          client_id: (await settings()).clientId,
        },
        'token exchange',
      );
      if (response.status === 400 || response.status === 401) throw new ConnectorError('refused', 'X refused the authorization code');
      const granted = await json<TokenResponse>(response, 'token exchange');
      const user = await me(granted.access_token);
      return {
        account: {
          platform: 'x',
          accountId: user.data.id,
          handle: user.data.username,
          scopes: (granted.scope ?? '').split(' ').filter(Boolean),
        },
        secret: secretOf(granted, now),
      };
    },

    async publish(account, secret, post) {
      let mediaId: string | undefined;
      if (post.image) {
        const form = new FormData();
        form.set('media_category', 'tweet_image');
        form.set('media', new Blob([Buffer.from(post.image.bytes)], { type: post.image.mimeType }));
        const uploaded = await json<{ data: { id: string } }>(
          await call('/2/media/upload', { method: 'POST', token: secret.accessToken, body: form, what: 'media upload' }),
          'media upload',
        );
        mediaId = uploaded.data.id;
      }
      let response: Response;
      try {
        response = await call('/2/tweets', {
          method: 'POST',
          token: secret.accessToken,
          what: 'create tweet',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: post.text, ...(mediaId && { media: { media_ids: [mediaId] } }) }),
        });
      } catch (error) {
        // The request may have left: X may have created the tweet. Only a lookup by marker can tell.
        throw new ConnectorError('outcome_unknown', error instanceof Error ? error.message : String(error));
      }
      if (response.status >= 500) throw new ConnectorError('outcome_unknown', `X create tweet: HTTP ${response.status}`);
      const created = await json<{ data: { id: string } }>(response, 'create tweet');
      return { platformPostId: created.data.id, url: tweetUrl(account.handle, created.data.id), publishedAt: new Date().toISOString() };
    },

    async findByMarker(account, secret, marker, since) {
      const query = new URLSearchParams({ start_time: since, max_results: '100', 'tweet.fields': 'created_at' });
      const page = await json<{ data?: { id: string; text: string; created_at?: string }[] }>(
        await call(`/2/users/${encodeURIComponent(account.accountId)}/tweets?${query}`, {
          method: 'GET',
          token: secret.accessToken,
          what: 'user tweets',
        }),
        'user tweets',
      );
      const found = page.data?.find((tweet) => xMarkerMatches(tweet.text, marker));
      return (
        found && {
          platformPostId: found.id,
          url: tweetUrl(account.handle, found.id),
          publishedAt: found.created_at ?? since,
        }
      );
    },

    async fetchMetrics(_account, secret, platformPostIds) {
      const metrics = new Map<string, PostMetrics>();
      for (let start = 0; start < platformPostIds.length; start += X_METRICS_BATCH) {
        const ids = platformPostIds.slice(start, start + X_METRICS_BATCH);
        const query = new URLSearchParams({ ids: ids.join(','), 'tweet.fields': 'public_metrics' });
        const page = await json<{ data?: { id: string; public_metrics?: Record<string, number> }[] }>(
          await call(`/2/tweets?${query}`, { method: 'GET', token: secret.accessToken, what: 'tweets lookup' }),
          'tweets lookup',
        );
        for (const tweet of page.data ?? []) {
          const m = tweet.public_metrics ?? {};
          metrics.set(tweet.id, {
            ...(m.impression_count !== undefined && { views: m.impression_count }),
            likes: m.like_count ?? 0,
            comments: m.reply_count ?? 0,
            shares: (m.retweet_count ?? 0) + (m.quote_count ?? 0),
            ...(m.bookmark_count !== undefined && { saves: m.bookmark_count }),
          });
        }
      }
      return metrics;
    },

    async fetchFollowerCount(_account, secret) {
      return (await me(secret.accessToken)).data.public_metrics?.followers_count ?? 0;
    },

    async refresh(_account, secret) {
      if (!secret.refreshToken) throw new ConnectorError('reauth_required', 'No refresh token');
      const now = Date.now();
      const response = await token(
        { grant_type: 'refresh_token', refresh_token: secret.refreshToken, client_id: (await settings()).clientId },
        'token refresh',
      );
      // X answers a revoked or used refresh token with 400 invalid_request.
      if (response.status === 400 || response.status === 401) throw new ConnectorError('reauth_required', 'X refused the refresh token');
      return secretOf(await json<TokenResponse>(response, 'token refresh'), now);
    },

    async revoke(_account, secret) {
      for (const [value, hint] of [
        [secret.refreshToken, 'refresh_token'],
        [secret.accessToken, 'access_token'],
      ] as const) {
        if (!value) continue;
        const response = await call('/2/oauth2/revoke', {
          method: 'POST',
          what: 'revoke',
          headers: { authorization: await clientAuth(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: value, token_type_hint: hint, client_id: (await settings()).clientId }).toString(),
        });
        if (!response.ok && response.status !== 400) throw await failure(response, 'revoke');
      }
    },
  };
}

/** X keeps no hidden field on a tweet: its marker is the digest of its text (markerOf), compared on the tweets read back. */
const xMarkerMatches = (text: string, marker: string) => markerOf(text) === marker;
