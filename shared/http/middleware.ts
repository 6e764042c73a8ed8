import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type * as z from '../schemas/zod';
import { commaList, readConfig } from '../core/config';
import { DomainError, ValidationError, type FieldIssue } from '../core/errors';
import { logger } from '../core/logger';
import { errorBody, jsonResponse, meta, RawReply, Reply, successBody } from './envelope';
import { identityOf } from './identity';
import { rateLimiter, rateLimitHeaders } from './rate-limit';
import { countsTowardRateLimit, routeIn, type RouteDef } from './routes/route';

export const MAX_BODY_BYTES = 64 * 1024;

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
type SchemaOut<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;
type RequestOf<Route extends RouteDef> = Route extends { request: infer R } ? R : Record<string, never>;

export interface RouteRequest<Route extends RouteDef> {
  /** The caller: the verified JWT's `sub`, or the user of the API key (absent on public routes). */
  userId: string;
  /** The JWT's claims; for an API key only `sub`. */
  claims: Record<string, unknown>;
  body: SchemaOut<RequestOf<Route> extends { body: infer B } ? B : undefined>;
  query: SchemaOut<RequestOf<Route> extends { query: infer Q } ? Q : undefined>;
  params: SchemaOut<RequestOf<Route> extends { params: infer P } ? P : undefined>;
  event: Event;
  context: Context;
}

function requestId(event: Event): string {
  return event.requestContext?.requestId ?? 'unknown';
}

function issuesOf(error: z.core.$ZodError, location: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

const bodySizeLimit = (): MiddlewareObj<Event> => ({
  before: ({ event }) => {
    if (event.body === undefined || event.body === null) return;
    const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64').byteLength : Buffer.byteLength(event.body);
    if (bytes > MAX_BODY_BYTES) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `Request body is ${bytes} bytes; the limit is ${MAX_BODY_BYTES}`);
    }
  },
});

/**
 * An API key reaches only routes that name a scope, and only with that scope; the gateway already
 * refuses keys on JWT-only routes (their authorizer is the JWT one), this is the second lock.
 */
const identity = (route: RouteDef, parties: string[]): MiddlewareObj<Event> => ({
  before: ({ event }) => {
    if (route.auth !== 'jwt') return;
    const caller = identityOf(event);
    if (caller.userId.length === 0) {
      throw new DomainError('UNAUTHORIZED', 'The token carries no subject');
    }
    if (caller.authType === 'apiKey') {
      if (!route.apiKeyScope || !caller.scopes.includes(route.apiKeyScope)) {
        throw new DomainError(
          'INSUFFICIENT_SCOPE',
          route.apiKeyScope ? `This API key lacks the scope ${route.apiKeyScope}` : 'This route is not open to API keys; sign in instead',
          { requiredScope: route.apiKeyScope ?? null, scopes: caller.scopes },
        );
      }
    } else if (parties.length > 0 && !parties.includes(String(caller.claims.azp ?? ''))) {
      throw new DomainError('UNAUTHORIZED', 'The token was not issued for an authorized party');
    }
  },
});

/** Middy's JSON parser, skipped when there is no body at all: the route's schema then decides (optional body, or 400). */
const jsonBodyWhenPresent = (): MiddlewareObj<Event> => {
  const parser = httpJsonBodyParser();
  return {
    before: (request) => {
      const { body } = request.event;
      if (body === undefined || body === null || body === '') return;
      return parser.before?.(request as never);
    },
  };
};

const parsedInputs = new WeakMap<Event, Record<string, unknown>>();

const zodValidation = (route: RouteDef): MiddlewareObj<Event> => ({
  before: (request) => {
    const { event } = request;
    const issues: FieldIssue[] = [];
    const parsed: Record<string, unknown> = {};
    const parts = [
      ['body', route.request?.body, event.body],
      ['query', route.request?.query, event.queryStringParameters ?? {}],
      ['path', route.request?.params, event.pathParameters ?? {}],
    ] as const;
    for (const [location, schema, value] of parts) {
      if (!schema) continue;
      const result = schema.safeParse(value);
      if (result.success) parsed[location] = result.data;
      else issues.push(...issuesOf(result.error, location));
    }
    if (issues.length > 0) throw new ValidationError(issues);
    parsedInputs.set(event, parsed);
  },
});

/** Maps any error to the envelope: typed domain errors keep their code, anything else is INTERNAL. */
const errorMapper = (): MiddlewareObj<Event, APIGatewayProxyResultV2> => ({
  onError: (request) => {
    const error = request.error as (Error & { statusCode?: number; cause?: { package?: string } }) | null;
    const m = meta(requestId(request.event));
    if (error instanceof DomainError) {
      if (error.status >= 500) logger.error('request failed', { error });
      else logger.info('request rejected', { code: error.code, reason: error.message });
      request.response = jsonResponse(error.status, errorBody(error.code, error.message, m, error.details));
      return;
    }
    if (error?.cause?.package === '@middy/http-json-body-parser') {
      const malformed = /malformed/i.test(error.message);
      const code = malformed ? 'INVALID_JSON' : 'UNSUPPORTED_MEDIA_TYPE';
      const message = malformed ? 'The request body is not valid JSON' : 'Send the body as application/json';
      logger.info('request rejected', { code });
      request.response = jsonResponse(malformed ? 400 : 415, errorBody(code, message, m));
      return;
    }
    logger.error('unhandled error', { error: error ?? undefined });
    request.response = jsonResponse(500, errorBody('INTERNAL', 'Something went wrong on our side', m));
  },
});

export interface RouteOptions {
  /** Content-Security-Policy directives for routes that serve a page (the docs). */
  contentSecurityPolicy?: Record<string, string>;
}

/**
 * The one Middy chain of every API handler, for route `id` of its resource's table
 * (shared/http/routes/<resource>.ts): a handler imports that file only, not the whole route
 * table, so its bundle carries its own schemas and no other resource's. Order matters: `before`
 * runs top to bottom, `onError` bottom to top, so the error mapper shapes the response before the
 * CORS and security-header middlewares decorate it.
 */
export function httpRoute<const Table extends readonly RouteDef[], Id extends Table[number]['id']>(
  table: Table,
  id: Id,
  fn: (request: RouteRequest<Extract<Table[number], { id: Id }>>) => Promise<unknown>,
  options: RouteOptions = {},
) {
  const route: RouteDef = routeIn(table, id);
  const { AUTH_AUTHORIZED_PARTIES, CORS_ORIGINS, RATE_LIMIT } = readConfig(['AUTH_AUTHORIZED_PARTIES', 'CORS_ORIGINS', 'RATE_LIMIT']);
  const limited = RATE_LIMIT === 'on' && countsTowardRateLimit(route);
  const parties = commaList(AUTH_AUTHORIZED_PARTIES);
  const chain = middy<Event, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: ({ event }) => {
        logger.appendKeys({ requestId: requestId(event), route: route.id });
      },
    })
    .use(httpHeaderNormalizer())
    .use(httpCors({ origins: commaList(CORS_ORIGINS) }))
    .use(httpSecurityHeaders(options.contentSecurityPolicy ? { contentSecurityPolicy: options.contentSecurityPolicy } : {}))
    .use(rateLimitHeaders())
    .use(errorMapper())
    .use(identity(route, parties))
    .use(rateLimiter(route, limited ? readConfig(['TABLE_NAME']).TABLE_NAME : undefined))
    .use(bodySizeLimit());
  if (route.request?.body) chain.use(jsonBodyWhenPresent());
  return chain.use(zodValidation(route)).handler(async (event, context) => {
    const parsed = parsedInputs.get(event) ?? {};
    const { userId, claims } = identityOf(event);
    const result = await fn({
      userId,
      claims,
      body: parsed.body,
      query: parsed.query,
      params: parsed.path,
      event,
      context,
    } as RouteRequest<Extract<Table[number], { id: Id }>>);
    if (result instanceof RawReply) return result.response;
    const reply = result instanceof Reply ? result : new Reply(result);
    const status = reply.options.status ?? route.response.status;
    if (status === 204) return { statusCode: 204, headers: reply.options.headers ?? {} };
    const m = meta(requestId(event), reply.options.nextCursor ? { nextCursor: reply.options.nextCursor } : {});
    return jsonResponse(status, successBody(reply.data, m), reply.options.headers);
  });
}
