import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../shared/core/errors';
import { handler as docs } from '../../functions/api/docs';
import { handler as openapi } from '../../functions/api/openapi';
import { routes, type RouteDef } from '../../shared/http/routes';
import { apiEvent, call } from '../support/api-event';
import { openApiValidator } from '../support/openapi-validator';

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' ? [inner as string] : refsIn(inner)));
  }
  return [];
}

describe('OpenAPI document', () => {
  it('lists every route of the route table, with security only on authorized routes', async () => {
    const res = await call(openapi, apiEvent({ path: '/openapi.json', userId: null }));
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.id);
      const keySecurity = 'apiKeyScope' in route ? [{ apiKey: [route.apiKeyScope] }] : [];
      const security = { jwt: [{ bearerAuth: [] }, ...keySecurity], bearer: [{ bearerAuth: [] }, { apiKey: [] }], public: [] };
      expect(operation.security).toEqual(security[route.auth]);
    }
  });

  it('every $ref resolves to a component', async () => {
    const doc = (await call(openapi, apiEvent({ path: '/openapi.json', userId: null }))).body;
    const refs = new Set(refsIn(doc));
    expect(refs.size).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
  });
});

async function openApiDocument() {
  return (await call(openapi, apiEvent({ path: '/openapi.json', userId: null }))).body;
}

const operationOf = (doc: any, route: Pick<RouteDef, 'path' | 'method'>) => doc.paths[route.path][route.method.toLowerCase()];
const byId = (id: string) => (routes as readonly RouteDef[]).find((route) => route.id === id)!;

describe('OpenAPI request bodies and headers', () => {
  it('documents a request body in its input shape: fields with defaults are optional there, required in responses', async () => {
    const doc = await openApiDocument();
    const { schemas } = doc.components;
    expect(schemas.AgentConfig.required).toEqual(['tone', 'language', 'critiqueBar', 'maxCritiqueRounds']);
    expect(schemas.AgentConfigInput.required ?? []).toEqual([]);
    expect(schemas.AgentConfigInput.properties.tone.default).toBe('friendly and clear');
    const onboarding = operationOf(doc, byId('UpdateCampaignOnboarding'));
    expect(onboarding.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CampaignPatchInput');
    expect(schemas.CampaignPatchInput.properties.agentConfig.$ref).toBe('#/components/schemas/AgentConfigInput');
    // A body whose input and output agree keeps one component.
    const plan = operationOf(doc, byId('UpdateAccountPlan'));
    expect(plan.requestBody.content['application/json'].schema.$ref).not.toMatch(/Input$/);
  });

  it('marks a body optional exactly where the server accepts none (the route schema accepts undefined)', async () => {
    const doc = await openApiDocument();
    for (const route of routes as readonly RouteDef[]) {
      const body = route.request?.body;
      const requestBody = operationOf(doc, route).requestBody;
      if (!body) {
        expect(requestBody, route.id).toBeUndefined();
        continue;
      }
      expect(requestBody.required, route.id).toBe(!body.safeParse(undefined).success);
    }
    expect(operationOf(doc, byId('ApproveLessons')).requestBody.required).toBe(false);
    expect(operationOf(doc, byId('RegenerateContent')).requestBody.required).toBe(false);
    expect(operationOf(doc, byId('CreateCampaign')).requestBody.required).toBe(true);
  });

  it('declares the headers the API reads: Idempotency-Key on idempotent routes, If-Match on versioned edits, the Svix trio', async () => {
    const doc = await openApiDocument();
    const headersOf = (id: string) =>
      operationOf(doc, byId(id))
        .parameters.filter((p: { in: string }) => p.in === 'header')
        .map((p: { name: string }) => p.name);
    for (const id of ['StartCampaign', 'RetryCampaign', 'CompleteCampaign', 'RegenerateContent', 'AnalyzeProfile']) {
      expect(headersOf(id), id).toEqual(['Idempotency-Key']);
      expect(Object.keys(operationOf(doc, byId(id)).responses), id).toEqual(expect.arrayContaining(['409', '422']));
    }
    for (const id of ['UpdateCampaign', 'UpdateCampaignOnboarding', 'UpdateContent', 'ApproveLessons']) {
      expect(headersOf(id), id).toEqual(['If-Match']);
      expect(operationOf(doc, byId(id)).responses['412'], id).toBeDefined();
    }
    expect(headersOf('ClerkWebhook')).toEqual(['svix-id', 'svix-timestamp', 'svix-signature']);
    expect(operationOf(doc, byId('GetCampaign')).responses['200'].headers.ETag).toBeDefined();
  });
});

describe('OpenAPI error responses', () => {
  it("documents API Gateway's own 401 body on every authorized route, the envelope elsewhere", async () => {
    const doc = await openApiDocument();
    const validate = openApiValidator(doc);
    const gateway401 = { status: 401, headers: new Headers({ 'content-type': 'application/json' }), text: '{"message":"Unauthorized"}' };
    for (const route of routes as readonly RouteDef[]) {
      const url = route.path.replace(/\{\w+\}/g, 'x');
      const problems = validate(route.method, url, gateway401);
      if (route.auth === 'jwt') expect(problems, route.id).toEqual([]);
      else expect(problems.length, route.id).toBeGreaterThan(0);
    }
    // The public Clerk webhook answers a bad signature with the envelope, never the gateway's body.
    expect(Object.keys(operationOf(doc, byId('ClerkWebhook')).responses['401'].content['application/json'].schema)).toEqual(['allOf']);
  });

  it('answers only statuses a route can reach: no 401 on public routes, the 429 envelope only where requests are counted, 412 only with If-Match', async () => {
    const doc = await openApiDocument();
    // 413 and 429 from API Gateway itself (its payload limit, its stage throttle) reach public routes too.
    expect(Object.keys(operationOf(doc, byId('Health')).responses)).toEqual(['200', '413', '429', '500', '503']);
    expect(operationOf(doc, byId('Health')).responses['429'].content['application/json'].schema.properties.message.const).toBe(
      'Too Many Requests',
    );
    const startResponses = operationOf(doc, byId('StartCampaign')).responses;
    expect(Object.keys(startResponses)).toEqual(['202', '400', '401', '402', '403', '404', '409', '413', '422', '429', '500', '503']);
    expect(startResponses['409'].description).toContain('IN_PROGRESS');
    expect(startResponses['422'].description).toContain('IDEMPOTENCY_KEY_REUSED');
    expect(startResponses['429'].headers['Retry-After']).toBeDefined();
    expect(operationOf(doc, byId('GetCampaign')).responses['412']).toBeUndefined();
  });

  it('the validator refuses an undocumented status, a wrong error code, an undeclared header and a wrong content type', async () => {
    const validate = openApiValidator(await openApiDocument());
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
      status,
      headers: new Headers({ 'content-type': 'application/json', ...headers }),
      text: JSON.stringify(body),
    });
    const envelope = (code: string) => ({ error: { code, message: 'm' }, meta: { requestId: 'r', timestamp: '2026-01-01T00:00:00.000Z' } });
    expect(validate('GET', '/campaigns/x', json(404, envelope('CAMPAIGN_NOT_FOUND')))).toEqual([]);
    expect(validate('GET', '/campaigns/x', json(418, envelope('CAMPAIGN_NOT_FOUND')))[0]).toMatch(/status not documented/);
    expect(validate('GET', '/campaigns/x', json(404, envelope('JOB_NOT_FOUND')))[0]).toMatch(/does not match/);
    expect(validate('GET', '/profile/insights', json(404, envelope('PROFILE_NOT_FOUND'))).length).toBeGreaterThan(0);
    expect(validate('GET', '/plans', json(200, { data: [], meta: envelope('X').meta }, { etag: '"1"' }))[0]).toMatch(
      /header etag not declared/,
    );
    const csv = { status: 200, headers: new Headers({ 'content-type': 'text/plain' }), text: 'a,b' };
    expect(validate('GET', '/campaigns/x/schedule.csv', csv)[0]).toMatch(/content type text\/plain not documented/);
    expect(validate('GET', '/no/such/route', json(404, { message: 'Not Found' }))).toEqual([]);
  });
});

describe('README error table', () => {
  it('lists every error code with the status the server sends, and no other code', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## API conventions'), readme.indexOf('### Routes today'));
    const table = new Map<string, number>();
    for (const row of section.split('\n').filter((line) => /^\| `[A-Z_]+`/.test(line))) {
      const [codes, status] = row.split('|').slice(1, 3);
      for (const [, code] of codes.matchAll(/`([A-Z_]+)`/g)) table.set(code, Number(status.trim()));
    }
    expect(Object.fromEntries(table)).toEqual(errorStatus);
  });
});

describe('docs page', () => {
  it('serves Swagger UI from the package, with a CSP that allows only its own assets', async () => {
    const page = await docs(apiEvent({ path: '/docs', userId: null }), {} as never);
    const result = page as { statusCode: number; body: string; headers: Record<string, string> };
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('/docs/swagger-ui-bundle.js');
    expect(result.headers['Content-Security-Policy']).toContain("script-src 'self'");
    const bundle = (await docs(
      apiEvent({ path: '/docs/swagger-ui-bundle.js', pathParameters: { asset: 'swagger-ui-bundle.js' }, userId: null }),
      {} as never,
    )) as { body: string };
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('answers 404 for anything but its known assets', async () => {
    const res = await call(docs, apiEvent({ path: '/docs/..%2Fpackage.json', pathParameters: { asset: '../package.json' }, userId: null }));
    expect(res.status).toBe(404);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'answers 404 NOT_FOUND for the inherited property name %s',
    async (asset) => {
      const res = await call(docs, apiEvent({ path: `/docs/${asset}`, pathParameters: { asset }, userId: null }));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    },
  );
});
