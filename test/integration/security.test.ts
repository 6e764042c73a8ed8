import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../dev/dynamodb';
import { LOCAL_AUDIENCE, LOCAL_AUTHORIZED_PARTY, LOCAL_ISSUER } from '../../dev/jwt';
import { authorizerOf, routes, type RouteDef } from '../../shared/http/routes';
import { startFixtures, type Fixtures } from '../support/fixtures';
import { fillPath, RESOURCE_FACTORIES, resourceKindOf, sharedSetup } from '../support/resource-factories';
import { validBody } from '../support/route-arbitraries';

let fixtures: Fixtures;

beforeAll(async () => {
  fixtures = await startFixtures();
});
afterAll(() => fixtures?.dispose());

/** Every item whose partition key names `userId` (its own partition, its rate counter, its lookups). */
async function itemsOf(userId: string): Promise<Record<string, AttributeValue>[]> {
  const client = localClient(fixtures.stack.dynamodbEndpoint);
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: fixtures.stack.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).filter((item) => String(item.PK.S).split('#').includes(userId)));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return items.sort((a, b) => `${a.SK.S}`.localeCompare(`${b.SK.S}`));
}

/** Routes with a path parameter that serve no creator's data, by id: the sweep leaves them out (and checks they are public). */
const PUBLIC_ROUTES = ['ApiDocsAsset', 'CompleteConnection'];
/**
 * Routes whose path parameter names a platform of the caller's own account, not another creator's
 * item: B's request is B's own (it succeeds for B) and must still change nothing of A.
 */
const OWN_ACCOUNT_ROUTES = ['StartConnection'];

describe('BOLA sweep: creator B on every route with a path parameter, addressing creator A’s resources', () => {
  const swept = routes.filter((route) => route.path.includes('{') && !PUBLIC_ROUTES.includes(route.id)) as readonly RouteDef[];

  it('leaves out only public routes, by name', () => {
    for (const id of PUBLIC_ROUTES) expect(routes.find((route) => route.id === id)?.auth, id).toBe('public');
    for (const route of swept) expect(route.auth, route.id).toBe('jwt');
  });

  it('answers 404 to B everywhere, with a body valid for the route, and changes nothing of A', { timeout: 240_000 }, async () => {
    const { api } = fixtures;
    const alice = await fixtures.creator('bola-a');
    // On the largest plan, so no valid body of B's meets a plan limit (402) before the ownership check.
    const bob = await fixtures.creator('bola-b');
    await fixtures.setTier('bola-b', 'enterprise');
    const shared = sharedSetup(alice, api);
    const kinds = [...new Set(swept.map((route) => resourceKindOf(route.path)))];
    const missing = kinds.filter((kind) => !RESOURCE_FACTORIES[kind]);
    expect(missing, 'resource kinds without a fixture factory in test/support/resource-factories.ts').toEqual([]);
    const params: Record<string, Record<string, string>> = {};
    for (const kind of kinds) params[kind] = await RESOURCE_FACTORIES[kind](alice, api, shared);
    await fixtures.stack.asyncIdle();

    const before = await itemsOf('bola-a');
    const answers: string[] = [];
    for (const route of swept) {
      const body = validBody(route);
      if (route.request?.body) expect(route.request.body.safeParse(body).success, `${route.id} body`).toBe(true);
      const path = fillPath(route.path, params[resourceKindOf(route.path)]);
      const res = await api(route.method, path, { token: bob.token, body });
      const expected = OWN_ACCOUNT_ROUTES.includes(route.id) ? res.status < 300 : res.status === 404;
      answers.push(`${route.method} ${route.path} → ${res.status}${expected ? '' : ` ${JSON.stringify(res.body)}`}`);
    }
    await fixtures.stack.asyncIdle();
    expect(answers.filter((answer) => !/→ \d{3}$/.test(answer))).toEqual([]);
    expect(answers).toHaveLength(swept.length);
    expect(await itemsOf('bola-a')).toEqual(before);
  });
});

describe('token matrix: both authorizers refuse every bad token with 401 and write nothing', () => {
  const keys = () => fixtures.stack.keys;
  const base = (subject: string) =>
    new SignJWT({ azp: LOCAL_AUTHORIZED_PARTY })
      .setSubject(subject)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h');
  const signed = (jwt: SignJWT, kid = 'crescendo-local-dev') =>
    jwt.setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(keys().privateKey);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = (subject: string) => ({
    sub: subject,
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    azp: LOCAL_AUTHORIZED_PARTY,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 3600,
  });

  const tokens: [string, (subject: string) => Promise<string | undefined>][] = [
    ['missing', async () => undefined],
    ['malformed', async () => 'not.a-jwt'],
    ['expired', (s) => signed(base(s).setExpirationTime('-1m'))],
    ['not yet valid', (s) => signed(base(s).setNotBefore('1h'))],
    ['wrong issuer', (s) => signed(base(s).setIssuer('https://evil.example.com'))],
    ['wrong audience', (s) => signed(base(s).setAudience('another-api'))],
    ['wrong azp', (s) => fixtures.stack.token(s, { claims: { azp: 'https://evil.example.com' } })],
    ['alg none', async (s) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(s))}.`],
    [
      'HS256 signed with the RSA public key',
      async (s) => {
        const header = b64({ alg: 'HS256', typ: 'JWT', kid: 'crescendo-local-dev' });
        const payload = b64(claims(s));
        const secret = await exportSPKI(keys().publicKey);
        return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
      },
    ],
    ['unknown kid', (s) => signed(base(s), 'some-other-key')],
    [
      'signed by another key',
      async (s) =>
        base(s)
          .setProtectedHeader({ alg: 'RS256', kid: 'crescendo-local-dev' })
          .sign((await generateKeyPair('RS256')).privateKey),
    ],
  ];

  // One writing route per authorizer, found in the route table: the JWT authorizer's and the bearer authorizer's.
  const writers = (['jwt', 'bearer'] as const).map((authorizer) => {
    const route = (routes as readonly RouteDef[]).find(
      (r) => authorizerOf(r) === authorizer && r.method === 'POST' && !r.path.includes('{') && r.request?.body,
    );
    if (!route) throw new Error(`No POST route without a path parameter behind the ${authorizer} authorizer`);
    return [authorizer, route] as const;
  });

  it.each(writers.flatMap(([authorizer, route]) => tokens.map(([name, make]) => [authorizer, name, route, make] as const)))(
    '%s authorizer, %s token → 401',
    async (_authorizer, name, route, make) => {
      const subject = `mallory-${name.replace(/\W+/g, '-')}`;
      const token = await make(subject);
      const res = await fixtures.api(route.method, route.path, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
        body: validBody(route),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(await itemsOf(subject)).toEqual([]);
    },
  );

  it('a good token passes both authorizers (the matrix is not refusing everything)', async () => {
    for (const [, route] of writers) {
      const res = await fixtures.api(route.method, route.path, { token: await fixtures.stack.token('matrix-ok'), body: validBody(route) });
      expect(res.status, `${route.method} ${route.path}`).toBeLessThan(300);
    }
  });
});
