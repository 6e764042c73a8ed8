import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './lambda-runtime';

/**
 * A local X API v2 for development and tests: the OAuth 2.0 PKCE dance (authorize, token, refresh,
 * revoke), tweets, media upload, tweet lookup with public metrics, the user's timeline and
 * `users/me`. Response bodies are the fixtures in dev/x-fixtures/ (each names the page of X's API
 * reference it was copied from) with this server's ids and values filled in. It can inject what X
 * does under stress, per route: 429 with `x-rate-limit-*` headers, 5xx, a timeout after the tweet was
 * created, a revoked token; it records revokes and counts requests.
 */

type Fixture =
  | 'token'
  | 'token-error'
  | 'revoke'
  | 'users-me'
  | 'create-tweet'
  | 'media-upload'
  | 'tweets-lookup'
  | 'user-tweets'
  | 'too-many-requests'
  | 'unauthorized'
  | 'service-unavailable';
const fixture = (name: Fixture) =>
  (JSON.parse(readFileSync(join(repoRoot, 'dev/x-fixtures', `${name}.json`), 'utf8')) as { body: Record<string, unknown> }).body;

export type XRoute = 'token' | 'createTweet' | 'mediaUpload' | 'tweetsLookup' | 'userTweets' | 'usersMe' | 'revoke';
export type XInjection =
  | { kind: 'rate_limit'; resetInSeconds?: number }
  | { kind: 'server_error' }
  /** The tweet is created, then the response never comes: the connection drops, as the client's timeout would end it. */
  | { kind: 'timeout_after_create' }
  /** The caller's token is treated as revoked (401), its refresh token refused (400). */
  | { kind: 'revoked' };

interface Tweet {
  id: string;
  text: string;
  authorId: string;
  createdAt: string;
  metrics: {
    retweet_count: number;
    reply_count: number;
    like_count: number;
    quote_count: number;
    bookmark_count: number;
    impression_count: number;
  };
}

export interface LocalX {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The next `times` requests of `route` get `injection` (default once). */
  inject(route: XRoute, injection: XInjection, times?: number): void;
  /** Every request of `route` with probability `rate` gets `injection` until cleared (load tests). */
  injectRandomly(route: XRoute, injection: XInjection, rate: number): void;
  clearInjections(): void;
  /** Makes every token and refresh token of the user refused from now on (the user revoked the app at X). */
  revokeUser(userId: string): void;
  unrevokeUser(userId: string): void;
  /** A new X account that has authorized the app, without the browser round trip (load tests): its tokens as the token endpoint answers. */
  authorizeNewUser(): { userId: string; username: string; access_token: string; refresh_token: string; expires_in: number; scope: string };
  /** Every access and refresh token issued so far (tests check none leaks). */
  tokensIssued(): string[];
  tweets(): Tweet[];
  setMetrics(tweetId: string, metrics: Partial<Tweet['metrics']>): void;
  setFollowers(count: number): void;
  revokes(): { token: string; hint?: string; at: string }[];
  requestCounts(): Record<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

const USER = fixture('users-me').data as { id: string; username: string; name: string };

export async function startLocalX(): Promise<LocalX> {
  const clientId = 'crescendo-local-x-client';
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string; userId: string }>();
  // Each consent is another X account (the fixture's first), so many creators can connect at once.
  const users = new Map<string, string>();
  let consents = 0;
  const accessTokens = new Map<string, { userId: string; scope: string; expiresAt: number }>();
  const refreshTokens = new Map<string, { userId: string; scope: string }>();
  const revokedUsers = new Set<string>();
  const issued: string[] = [];
  const tweets = new Map<string, Tweet>();
  const revokes: { token: string; hint?: string; at: string }[] = [];
  const counts: Record<string, number> = {};
  const queued: { route: XRoute; injection: XInjection; times: number }[] = [];
  const random: { route: XRoute; injection: XInjection; rate: number }[] = [];
  let followers = (USER as unknown as { public_metrics: { followers_count: number } }).public_metrics?.followers_count ?? 583423;
  let nextTweetId = BigInt((fixture('create-tweet').data as { id: string }).id);

  const newUser = () => {
    const userId = String(BigInt(USER.id) + BigInt(consents));
    users.set(userId, consents === 0 ? USER.username : `${USER.username}${consents}`);
    consents++;
    return userId;
  };

  const takeInjection = (route: XRoute): XInjection | undefined => {
    const index = queued.findIndex((entry) => entry.route === route);
    if (index >= 0) {
      const entry = queued[index];
      if (--entry.times <= 0) queued.splice(index, 1);
      return entry.injection;
    }
    return random.find((entry) => entry.route === route && Math.random() < entry.rate)?.injection;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const rateLimited = (res: ServerResponse, resetInSeconds = 60) =>
    send(res, 429, fixture('too-many-requests'), {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    });

  const bearer = (req: IncomingMessage) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grant = token ? accessTokens.get(token) : undefined;
    return grant && grant.expiresAt > Date.now() && !revokedUsers.has(grant.userId) ? grant : undefined;
  };
  const clientOk = (req: IncomingMessage) =>
    req.headers.authorization === `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  const issue = (userId: string, scope: string) => {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    const expiresIn = Number(fixture('token').expires_in);
    accessTokens.set(access, { userId, scope, expiresAt: Date.now() + expiresIn * 1000 });
    refreshTokens.set(refresh, { userId, scope });
    issued.push(access, refresh);
    return { ...fixture('token'), access_token: access, refresh_token: refresh, scope, expires_in: expiresIn };
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x.local');
    const route = `${req.method} ${url.pathname.replace(/\/users\/\d+\/tweets$/, '/users/:id/tweets')}`;
    counts[route] = (counts[route] ?? 0) + 1;
    const body = await readBody(req);
    const form = () => new URLSearchParams(body.toString('utf8'));

    // The consent screen, already accepted: back to the redirect URI with a code.
    if (req.method === 'GET' && url.pathname === '/i/oauth2/authorize') {
      const q = url.searchParams;
      if (
        q.get('client_id') !== clientId ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge') ||
        !q.get('redirect_uri')
      )
        return send(res, 400, fixture('token-error'));
      const code = randomBytes(16).toString('base64url');
      const userId = newUser();
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')!, scope: q.get('scope') ?? '', userId });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('state', q.get('state') ?? '');
      back.searchParams.set('code', code);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }

    if (req.method === 'POST' && url.pathname === '/2/oauth2/token') {
      const injection = takeInjection('token');
      if (injection?.kind === 'rate_limit') return rateLimited(res, injection.resetInSeconds);
      if (injection?.kind === 'server_error') return send(res, 503, fixture('service-unavailable'));
      if (!clientOk(req)) return send(res, 401, fixture('unauthorized'));
      const params = form();
      if (params.get('grant_type') === 'authorization_code') {
        const grant = codes.get(params.get('code') ?? '');
        codes.delete(params.get('code') ?? '');
        const challenge = createHash('sha256')
          .update(params.get('code_verifier') ?? '')
          .digest('base64url');
        if (!grant || grant.challenge !== challenge || grant.redirectUri !== params.get('redirect_uri'))
          return send(res, 400, fixture('token-error'));
        return send(res, 200, issue(grant.userId, grant.scope));
      }
      if (params.get('grant_type') === 'refresh_token') {
        const grant = refreshTokens.get(params.get('refresh_token') ?? '');
        // A refresh token is single-use at X: the new one replaces it.
        refreshTokens.delete(params.get('refresh_token') ?? '');
        if (!grant || injection?.kind === 'revoked' || revokedUsers.has(grant.userId)) return send(res, 400, fixture('token-error'));
        return send(res, 200, issue(grant.userId, grant.scope));
      }
      return send(res, 400, fixture('token-error'));
    }

    if (req.method === 'POST' && url.pathname === '/2/oauth2/revoke') {
      if (!clientOk(req)) return send(res, 401, fixture('unauthorized'));
      const params = form();
      const token = params.get('token') ?? '';
      accessTokens.delete(token);
      refreshTokens.delete(token);
      revokes.push({ token, hint: params.get('token_type_hint') ?? undefined, at: new Date().toISOString() });
      return send(res, 200, fixture('revoke'));
    }

    const routeOf: Record<string, XRoute> = {
      'POST /2/tweets': 'createTweet',
      'POST /2/media/upload': 'mediaUpload',
      'GET /2/tweets': 'tweetsLookup',
      'GET /users/:id/tweets': 'userTweets',
      'GET /2/users/:id/tweets': 'userTweets',
      'GET /2/users/me': 'usersMe',
    };
    const xRoute = routeOf[route];
    if (!xRoute) return send(res, 404, { title: 'Not Found Error', type: 'about:blank', status: 404 });
    const injection = takeInjection(xRoute);
    if (injection?.kind === 'rate_limit') return rateLimited(res, injection.resetInSeconds);
    if (injection?.kind === 'server_error') return send(res, 503, fixture('service-unavailable'));
    const grant = bearer(req);
    if (!grant || injection?.kind === 'revoked') return send(res, 401, fixture('unauthorized'));

    switch (xRoute) {
      case 'usersMe': {
        const me = fixture('users-me').data as Record<string, unknown>;
        return send(res, 200, {
          data: {
            ...me,
            id: grant.userId,
            username: users.get(grant.userId),
            public_metrics: { ...(me.public_metrics as object), followers_count: followers },
          },
        });
      }
      case 'mediaUpload': {
        const media = fixture('media-upload').data as Record<string, unknown>;
        const id = String(nextTweetId++);
        return send(res, 200, { data: { ...media, id, media_key: `3_${id}`, size: body.length } });
      }
      case 'createTweet': {
        const { text } = JSON.parse(body.toString('utf8') || '{}') as { text?: string };
        if (typeof text !== 'string' || text.length === 0) return send(res, 400, fixture('token-error'));
        const id = String(nextTweetId++);
        tweets.set(id, {
          id,
          text,
          authorId: grant.userId,
          createdAt: new Date().toISOString(),
          metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 },
        });
        // The connection drops before the answer: to the client, what its timeout would be, without waiting it out.
        if (injection?.kind === 'timeout_after_create') return void req.socket.destroy();
        return send(res, 201, { data: { id, text, edit_history_tweet_ids: [id] } });
      }
      case 'tweetsLookup': {
        const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
        if (ids.length === 0 || ids.length > 100) return send(res, 400, fixture('token-error'));
        const data = ids.flatMap((id) => {
          const tweet = tweets.get(id);
          return tweet ? [{ id, text: tweet.text, edit_history_tweet_ids: [id], public_metrics: tweet.metrics }] : [];
        });
        return send(res, 200, { data });
      }
      case 'userTweets': {
        const since = url.searchParams.get('start_time') ?? '';
        const data = [...tweets.values()]
          .filter((tweet) => tweet.authorId === grant.userId && tweet.createdAt >= since)
          .reverse()
          .slice(0, Number(url.searchParams.get('max_results') ?? 10))
          .map((tweet) => ({ id: tweet.id, text: tweet.text, created_at: tweet.createdAt, edit_history_tweet_ids: [tweet.id] }));
        return send(res, 200, { data, meta: { result_count: data.length } });
      }
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { title: 'Internal Error', detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    clientId,
    clientSecret,
    inject: (route, injection, times = 1) => queued.push({ route, injection, times }),
    injectRandomly: (route, injection, rate) => random.push({ route, injection, rate }),
    clearInjections: () => {
      queued.length = 0;
      random.length = 0;
    },
    revokeUser: (userId) => revokedUsers.add(userId),
    unrevokeUser: (userId) => revokedUsers.delete(userId),
    tokensIssued: () => [...issued],
    authorizeNewUser: () => {
      const userId = newUser();
      return {
        userId,
        username: users.get(userId)!,
        ...issue(userId, 'tweet.read tweet.write users.read media.write offline.access'),
      } as never;
    },
    tweets: () => [...tweets.values()],
    setMetrics: (tweetId, metrics) => {
      const tweet = tweets.get(tweetId);
      if (tweet) Object.assign(tweet.metrics, metrics);
    },
    setFollowers: (count) => {
      followers = count;
    },
    revokes: () => [...revokes],
    requestCounts: () => ({ ...counts }),
    resetCounts: () => {
      for (const key of Object.keys(counts)) delete counts[key];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
