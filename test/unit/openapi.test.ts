import { describe, expect, it } from 'vitest';
import { handler as docs } from '../../functions/api/docs';
import { handler as openapi } from '../../functions/api/openapi';
import { routes } from '../../shared/http/routes';
import { apiEvent, call } from '../support/api-event';

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
      expect(operation.security).toEqual(route.auth === 'jwt' ? [{ bearerAuth: [] }, ...keySecurity] : []);
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

describe('docs page', () => {
  it('serves Swagger UI from the package, with a CSP that allows only its own assets', async () => {
    const page = await docs(apiEvent({ path: '/docs', userId: null }), {} as never);
    const result = page as { statusCode: number; body: string; headers: Record<string, string> };
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('/docs/swagger-ui-bundle.js');
    expect(result.headers['Content-Security-Policy']).toContain("script-src 'self'");
    const bundle = (await docs(apiEvent({ path: '/docs/swagger-ui-bundle.js', pathParameters: { asset: 'swagger-ui-bundle.js' }, userId: null }), {} as never)) as { body: string };
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('answers 404 for anything but its known assets', async () => {
    const res = await call(docs, apiEvent({ path: '/docs/..%2Fpackage.json', pathParameters: { asset: '../package.json' }, userId: null }));
    expect(res.status).toBe(404);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('answers 404 NOT_FOUND for the inherited property name %s', async (asset) => {
    const res = await call(docs, apiEvent({ path: `/docs/${asset}`, pathParameters: { asset }, userId: null }));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
