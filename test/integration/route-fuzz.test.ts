import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClient } from '../../dev/dynamodb';
import { LOCAL_AUTHORIZED_PARTY } from '../../dev/jwt';
import { lambdaContext, loadHandler, runHandler } from '../../dev/lambda-runtime';
import { routes, type RouteDef } from '../../shared/http/routes';
import { apiEvent } from '../support/api-event';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini';
import { startFixtures, type Fixtures } from '../support/fixtures';
import { openApiValidator } from '../support/openapi-validator';
import { fillPath, RESOURCE_FACTORIES, resourceKindOf, sharedSetup } from '../support/resource-factories';
import { arbitraryOf, bodyArbitrary, openApi, operationOf } from '../support/route-arbitraries';

/**
 * Property-based fuzzing of every route of the table: requests built from the OpenAPI document
 * (valid, boundary and mutated bodies, path parameters, queries, headers, content types) go
 * through the real handlers and their middleware in-process (API Gateway's authorizer already
 * passed: its own refusals are the token matrix's), against DynamoDB Local; asynchronous
 * invocations are recorded, not run. No 5xx, every response as the document says, and the victim
 * creator, whose real ids the requests aim at, keeps every item as it was.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
/** A fresh creator every this many requests, well inside the free tier's 600 requests a minute. */
const REQUESTS_PER_USER = 250;
const CONCURRENCY = 8;
const VICTIM = 'fuzz-victim';

let fixtures: Fixtures;
let gemini: FakeGemini;
let victimParams: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  // PUT /account/ai-key checks each key with Gemini: the fake one accepts them (nothing waits on a network).
  gemini = await startFakeGemini();
  process.env.GOOGLE_GEMINI_BASE_URL = gemini.baseUrl;
  fixtures = await startFixtures();
  const victim = await fixtures.creator(VICTIM);
  const shared = sharedSetup(victim, fixtures.api);
  const kinds = [...new Set(routes.filter((route) => route.path.includes('{') && route.auth === 'jwt').map((r) => resourceKindOf(r.path)))];
  victimParams = Object.fromEntries(
    await Promise.all(kinds.map(async (kind) => [kind, await RESOURCE_FACTORIES[kind](victim, fixtures.api, shared)])),
  );
  await fixtures.stack.asyncIdle();
  fixtures.stack.recordAsyncInvocations(true);
}, 240_000);
afterAll(async () => {
  await fixtures?.dispose();
  await gemini?.close();
});

async function victimItems(): Promise<Record<string, AttributeValue>[]> {
  const client = localClient(fixtures.stack.dynamodbEndpoint);
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: fixtures.stack.tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).filter((item) => item.PK.S === `USER#${VICTIM}`));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return items.sort((a, b) => `${a.SK.S}`.localeCompare(`${b.SK.S}`));
}

interface FuzzRequest {
  route: RouteDef;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

const mutatedText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', '0', '-1', '99999999999', 'null', '../..', '%00', 'a'.repeat(300), '\u202e', '\u0000'),
  fc.uuid(),
);

function requestArbitrary(route: RouteDef): fc.Arbitrary<FuzzRequest> {
  const operation = operationOf(route);
  const parameters = operation.parameters ?? [];
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  const victim = victimParams[resourceKindOf(route.path)] ?? {};
  const params = fc.record(
    Object.fromEntries(
      names.map((name) => [name, victim[name] ? fc.oneof({ arbitrary: fc.constant(victim[name]), weight: 3 }, mutatedText) : mutatedText]),
    ),
  );
  const valued = (kind: 'query' | 'header') =>
    fc.record(
      Object.fromEntries(
        parameters
          .filter((parameter) => parameter.in === kind)
          .map((parameter) => [
            kind === 'header' ? parameter.name.toLowerCase() : parameter.name,
            fc.oneof({ arbitrary: arbitraryOf(parameter.schema).map(String), weight: 3 }, mutatedText),
          ]),
      ),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, string>>;
  const validBody = bodyArbitrary(route);
  const body = fc.oneof(
    { arbitrary: validBody ? validBody.map((value) => JSON.stringify(value)) : fc.constant(undefined), weight: 4 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', ''), weight: 1 },
  );
  return fc
    .record({ params, query: valued('query'), headers: valued('header'), body, contentType })
    .map(({ params, query, headers, body, contentType }) => ({
      route,
      params,
      query,
      headers: { ...headers, ...(contentType && { 'content-type': contentType }) },
      body,
    }));
}

async function dispatch(request: FuzzRequest, userId: string) {
  const { route } = request;
  const path = fillPath(route.path, request.params);
  const event = apiEvent({
    method: route.method,
    path,
    routeKey: `${route.method} ${route.path}`,
    rawBody: request.body,
    headers: request.headers,
    userId: route.auth === 'public' ? null : userId,
    claims: { azp: LOCAL_AUTHORIZED_PARTY },
    ...(route.path.includes('{') && { pathParameters: request.params }),
    ...(Object.keys(request.query).length > 0 && { queryStringParameters: request.query }),
  });
  if (!request.headers['content-type']) delete event.headers['content-type'];
  const result = (await runHandler(await loadHandler(route.entry), event, lambdaContext(route.id))) as APIGatewayProxyStructuredResultV2;
  const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('latin1') : (result.body ?? '');
  const query = new URLSearchParams(request.query).toString();
  return { path: query ? `${path}?${query}` : path, status: result.statusCode ?? 200, headers: result.headers ?? {}, text };
}

describe('route fuzzing', () => {
  it(
    `${REQUESTS} requests over every route: no 5xx, every response as the OpenAPI document says, no other creator's item touched`,
    { timeout: 300_000 },
    async () => {
      const validate = openApiValidator(openApi as never);
      const before = await victimItems();
      const perRoute = routes.map((route) => requestArbitrary(route));
      const requests = fc.sample(fc.oneof(...perRoute), { seed: Number(process.env.FUZZ_SEED ?? 17), numRuns: REQUESTS });
      const problems: string[] = [];
      const statuses = new Map<number, number>();
      const hit = new Set<string>();
      const started = Date.now();
      let next = 0;
      const worker = async () => {
        for (let index = next++; index < requests.length; index = next++) {
          const request = requests[index];
          const response = await dispatch(request, `fuzz-${Math.floor(index / REQUESTS_PER_USER)}`);
          hit.add(request.route.id);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const where = `${request.route.method} ${response.path} (${JSON.stringify(request.headers)} ${request.body?.slice(0, 200)})`;
          if (response.status >= 500) problems.push(`${where} → ${response.status} ${response.text.slice(0, 300)}`);
          const headers = new Headers(Object.entries(response.headers).map(([name, value]): [string, string] => [name, String(value)]));
          for (const problem of validate(request.route.method, response.path, { status: response.status, headers, text: response.text }))
            problems.push(`${where}: ${problem}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `route fuzzing: ${requests.length} requests over ${hit.size} of ${routes.length} routes in ${seconds.toFixed(1)} s; ` +
          `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ${fixtures.stack.recordedInvocations().length} async invocations recorded`,
      );
      expect(problems.slice(0, 20)).toEqual([]);
      expect([...hit].sort()).toEqual(routes.map((route) => route.id).sort());
      expect(await victimItems()).toEqual(before);
    },
  );
});
