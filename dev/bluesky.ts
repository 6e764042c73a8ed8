import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Bluesky on this machine: the real AT Protocol reference PDS (`@atproto/pds`, started by
 * `@atproto/dev-env`'s TestNetworkNoAppView with an in-memory PLC directory, offline), where posts
 * are real records in real repositories; and a local App View that serves exactly the two reads
 * Crescendo makes of Bluesky's App View — `app.bsky.feed.getPosts` and `app.bsky.actor.getProfile`,
 * shaped as their published lexicons say — built from the PDS's records, with like, repost, reply,
 * quote and follower counts that tests and the demo set (the real App View indexes a network
 * firehose into PostgreSQL; none of that runs here). The PDS's data lives in the data folder and is
 * wiped at each start: the PLC directory is in memory, so accounts do not outlive the process.
 */

export interface PostCounts {
  likeCount?: number;
  repostCount?: number;
  replyCount?: number;
  quoteCount?: number;
}

export interface LocalBluesky {
  /** The PDS: BLUESKY_SERVICE_URL. */
  serviceUrl: string;
  /** The local App View: BLUESKY_APPVIEW_URL. */
  appViewUrl: string;
  /** An account on the PDS with an app password (the connect step's handle + app password). */
  createAccount(handle: string): Promise<{ did: string; handle: string; password: string; appPassword: string }>;
  /** What the creator does in Bluesky's settings: revoke the app password (sessions opened with it end too). */
  revokeAppPassword(handle: string): Promise<void>;
  setPostCounts(uri: string, counts: PostCounts): void;
  setFollowers(did: string, followersCount: number): void;
  /** App View requests served so far, per method (NSID). */
  appViewRequests(): Record<string, number>;
  close(): Promise<void>;
}

/** getPosts' `uris` maxLength (lexicons/app/bsky/feed/getPosts.json). */
const GET_POSTS_MAX_URIS = 25;

export async function startLocalBluesky(dataDir: string): Promise<LocalBluesky> {
  const pdsDir = join(dataDir, 'bluesky-pds');
  rmSync(pdsDir, { recursive: true, force: true });
  mkdirSync(join(pdsDir, 'blobs'), { recursive: true });
  // Loaded here, not at the top: only stacks that run Bluesky pay for the PDS's modules.
  const { TestNetworkNoAppView } = await import('@atproto/dev-env');
  const network = await TestNetworkNoAppView.create({ pds: { dataDirectory: pdsDir, blobstoreDiskLocation: join(pdsDir, 'blobs') } });
  const serviceUrl = network.pds.url;
  const appView = await startAppView(serviceUrl);

  const xrpc = async <T>(nsid: string, body: unknown, token?: string): Promise<T> => {
    const response = await fetch(`${serviceUrl}/xrpc/${nsid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${nsid}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : {}) as T;
  };

  return {
    serviceUrl,
    appViewUrl: appView.url,
    async createAccount(handle) {
      const password = `pw-${handle}`;
      const account = await xrpc<{ did: string; handle: string; accessJwt: string }>('com.atproto.server.createAccount', {
        handle,
        email: `${handle}@example.com`,
        password,
      });
      const { password: appPassword } = await xrpc<{ password: string }>(
        'com.atproto.server.createAppPassword',
        { name: 'crescendo' },
        account.accessJwt,
      );
      return { did: account.did, handle: account.handle, password, appPassword };
    },
    async revokeAppPassword(handle) {
      const owner = await xrpc<{ accessJwt: string }>('com.atproto.server.createSession', { identifier: handle, password: `pw-${handle}` });
      await xrpc('com.atproto.server.revokeAppPassword', { name: 'crescendo' }, owner.accessJwt);
    },
    setPostCounts: (uri, counts) => appView.counts.set(uri, { ...appView.counts.get(uri), ...counts }),
    setFollowers: (did, followersCount) => appView.followers.set(did, followersCount),
    appViewRequests: () => ({ ...appView.requests }),
    close: async () => {
      await appView.close();
      await network.close();
      rmSync(pdsDir, { recursive: true, force: true });
    },
  };
}

async function startAppView(pdsUrl: string) {
  const counts = new Map<string, PostCounts>();
  const followers = new Map<string, number>();
  const requests: Record<string, number> = {};

  const pds = async <T>(nsid: string, query: Record<string, string>): Promise<T | undefined> => {
    const response = await fetch(`${pdsUrl}/xrpc/${nsid}?${new URLSearchParams(query)}`);
    return response.ok ? ((await response.json()) as T) : undefined;
  };
  const describe = (repo: string) => pds<{ did: string; handle: string }>('com.atproto.repo.describeRepo', { repo });

  /** app.bsky.feed.defs#postView for one AT URI, or nothing (the real App View leaves out posts it cannot find). */
  const postView = async (uri: string) => {
    const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
    if (!match) return undefined;
    const [, repo = '', collection = '', rkey = ''] = match;
    const [record, author] = await Promise.all([
      pds<{ uri: string; cid: string; value: { createdAt?: string } }>('com.atproto.repo.getRecord', { repo, collection, rkey }),
      describe(repo),
    ]);
    if (!record || !author) return undefined;
    const { likeCount = 0, repostCount = 0, replyCount = 0, quoteCount = 0 } = counts.get(record.uri) ?? {};
    return {
      uri: record.uri,
      cid: record.cid,
      author: { did: author.did, handle: author.handle },
      record: record.value,
      indexedAt: record.value.createdAt ?? new Date().toISOString(),
      likeCount,
      repostCount,
      replyCount,
      quoteCount,
    };
  };

  const reply = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const invalid = (res: ServerResponse, message: string) => reply(res, 400, { error: 'InvalidRequest', message });
  const readJson = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
        } catch (error) {
          reject(error as Error);
        }
      });
    });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    void (async () => {
      if (req.method === 'GET' && nsid === 'app.bsky.feed.getPosts') {
        requests[nsid] = (requests[nsid] ?? 0) + 1;
        const uris = url.searchParams.getAll('uris');
        if (uris.length === 0) return invalid(res, 'Error: Params must have the property "uris"');
        if (uris.length > GET_POSTS_MAX_URIS) return invalid(res, `Error: uris must not have more than ${GET_POSTS_MAX_URIS} elements`);
        const posts = await Promise.all(uris.map(postView));
        return reply(res, 200, { posts: posts.filter((post) => post !== undefined) });
      }
      if (req.method === 'GET' && nsid === 'app.bsky.actor.getProfile') {
        requests[nsid] = (requests[nsid] ?? 0) + 1;
        const actor = url.searchParams.get('actor');
        if (!actor) return invalid(res, 'Error: Params must have the property "actor"');
        const account = await describe(actor);
        if (!account) return invalid(res, 'Profile not found');
        return reply(res, 200, { did: account.did, handle: account.handle, followersCount: followers.get(account.did) ?? 0 });
      }
      // Local only, for tests and the demo: what the network would have done to a post or an account.
      if (req.method === 'POST' && url.pathname === '/local/post-counts') {
        const { uri, ...values } = await readJson(req);
        counts.set(String(uri), { ...counts.get(String(uri)), ...(values as PostCounts) });
        return reply(res, 200, {});
      }
      if (req.method === 'POST' && url.pathname === '/local/followers') {
        const { did, followersCount } = await readJson(req);
        followers.set(String(did), Number(followersCount));
        return reply(res, 200, {});
      }
      return reply(res, 501, { error: 'MethodNotImplemented', message: `The local App View serves getPosts and getProfile, not ${nsid}` });
    })().catch((error: unknown) => reply(res, 500, { error: 'InternalServerError', message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    followers,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
