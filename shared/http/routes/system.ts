import { healthSchema } from '../../schemas/system';
import type { RouteDef } from './route';

/** The service itself: health, the OpenAPI document and its documentation page. */
export const systemRoutes = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    entry: 'functions/api/health.ts',
    auth: 'public',
    summary: 'Service version and a dependency check of the table',
    tag: 'system',
    response: { status: 200, data: healthSchema, alsoStatuses: [503] },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'OpenApiDocument',
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/openapi.ts',
    auth: 'public',
    summary: 'The OpenAPI 3.1 document of this API',
    tag: 'system',
    response: { status: 200, raw: 'application/json' },
    access: { table: 'none', bucket: 'none' },
  },
  {
    id: 'ApiDocs',
    method: 'GET',
    path: '/docs',
    entry: 'functions/api/docs.ts',
    auth: 'public',
    summary: 'Interactive API documentation (Swagger UI)',
    tag: 'system',
    response: { status: 200, raw: 'text/html' },
    access: { table: 'none', bucket: 'none' },
  },
  {
    id: 'ApiDocsAsset',
    method: 'GET',
    path: '/docs/{asset}',
    entry: 'functions/api/docs.ts',
    auth: 'public',
    summary: 'Static assets of the documentation page',
    tag: 'system',
    response: { status: 200, raw: ['text/css', 'text/javascript'] },
    errors: ['NOT_FOUND'],
    access: { table: 'none', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
