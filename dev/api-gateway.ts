import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { AuthorizerContext } from '../shared/http/identity';
import { authorizerOf, BEARER_AUTHORIZER, routes, type RouteDef } from '../shared/http/routes';
import { verifyBearer, type DevKeys } from './jwt';
import { lambdaContext, loadHandler, runHandler } from './lambda-runtime';

/** API Gateway HTTP APIs refuse bodies over 10 MB before any integration runs. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+json|javascript))/i;

interface CompiledRoute {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
    names.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

const compiled = (routes as readonly RouteDef[]).map(compile);

export function matchRoute(method: string, path: string) {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const pathParameters = Object.fromEntries(candidate.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    return { route: candidate.route, pathParameters };
  }
  return undefined;
}

/** API Gateway hands JWT claims to the integration as strings; arrays become `[a b]`. */
function flattenClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [
      key,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.join(' ')}]`
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value),
    ]),
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_BODY_LIMIT) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headersDistinct)) {
    if (value && name !== 'cookie') headers[name] = value.join(',');
  }
  return headers;
}

/** What an authorizer established: JWT claims (the JWT authorizer) or the bearer authorizer's context. */
export type Authorization = { jwt: JWTPayload } | { lambda: AuthorizerContext };

export function buildEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  route: RouteDef,
  pathParameters: Record<string, string>,
  authorization: Authorization | undefined,
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const headers = joinedHeaders(request);
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const isText = TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const now = new Date();
  const routeKey = `${route.method} ${route.path}`;
  const cookies = request.headers.cookie?.split(';').map((c) => c.trim());
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer:
        authorization && 'lambda' in authorization
          ? { lambda: authorization.lambda }
          : { principalId: '', integrationLatency: 0, jwt: { claims: authorization ? flattenClaims(authorization.jwt) : {}, scopes: [] } },
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

function send(response: ServerResponse, result: unknown, requestId: string) {
  // Payload format 2.0: a result without statusCode is a 200 JSON body, as in the cloud.
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  const body = structured.body ?? '';
  response.writeHead(structured.statusCode ?? 200, {
    ...structured.headers,
    ...(structured.cookies?.length ? { 'set-cookie': structured.cookies } : {}),
    'apigw-requestid': requestId,
  });
  response.end(structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function gatewayError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify({ message }));
}

function preflight(response: ServerResponse, request: IncomingMessage) {
  response.writeHead(204, {
    'access-control-allow-origin': request.headers.origin ?? '*',
    'access-control-allow-methods': 'GET,POST,PATCH,PUT,DELETE,OPTIONS',
    'access-control-allow-headers': request.headers['access-control-request-headers'] ?? 'authorization,content-type',
    'access-control-max-age': '600',
  });
  response.end();
}

type BearerResult = APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext> | 'unauthorized';

/**
 * The bearer authorizer as API Gateway runs it: the handler of BEARER_AUTHORIZER.entry with a REQUEST
 * authorizer event (payload 2.0), its answer cached per Authorization header for `ttlSeconds`; a
 * missing header is 401 without a call, a thrown `Unauthorized` 401, `isAuthorized: false` 403.
 */
function bearerAuthorizer(ttlSeconds: number) {
  const cache = new Map<string, { result: BearerResult; until: number }>();
  return async (request: IncomingMessage, url: URL, route: RouteDef): Promise<BearerResult | undefined> => {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const cached = cache.get(header);
    if (cached && cached.until > Date.now()) return cached.result;
    const routeKey = `${route.method} ${route.path}`;
    const event = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${route.method}${route.path}`,
      identitySource: [header],
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers: joinedHeaders(request),
      requestContext: { http: { method: route.method, path: url.pathname }, routeKey, stage: '$default' },
    } as unknown as APIGatewayRequestAuthorizerEventV2;
    let result: BearerResult;
    try {
      result = (await runHandler(await loadHandler(BEARER_AUTHORIZER.entry), event, lambdaContext('BearerAuthorizer'))) as BearerResult;
    } catch (error) {
      if ((error as Error).message !== 'Unauthorized') throw error;
      result = 'unauthorized';
    }
    if (ttlSeconds > 0) cache.set(header, { result, until: Date.now() + ttlSeconds * 1000 });
    return result;
  };
}

export interface LocalApiGateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The local twin of the HTTP API: same routes (from the route table), the same authorizer per route
 * (JWT checks as the cloud's JWT authorizer, or the bearer authorizer's own handler; 401 before any
 * handler runs), same event shape, handlers run in-process.
 */
export async function startApiGateway(options: {
  port: number;
  keys: DevKeys;
  host?: string;
  bearerCacheTtlSeconds?: number;
}): Promise<LocalApiGateway> {
  const bearer = bearerAuthorizer(options.bearerCacheTtlSeconds ?? BEARER_AUTHORIZER.cacheTtlSeconds);
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    const method = request.method ?? 'GET';
    if (method === 'OPTIONS') return preflight(response, request);
    const matched = matchRoute(method, url.pathname);
    if (!matched) return gatewayError(response, 404, 'Not Found');
    const { route, pathParameters } = matched;
    let authorization: Authorization | undefined;
    const authorizer = authorizerOf(route);
    if (authorizer === 'jwt') {
      const claims = await verifyBearer(options.keys, request.headers.authorization);
      if (!claims) return gatewayError(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
      authorization = { jwt: claims };
    }
    if (authorizer === 'bearer') {
      let result: BearerResult | undefined;
      try {
        result = await bearer(request, url, route);
      } catch (error) {
        console.error('[api] the bearer authorizer crashed:', error);
        return gatewayError(response, 500, 'Internal Server Error');
      }
      if (result === undefined || result === 'unauthorized') return gatewayError(response, 401, 'Unauthorized');
      if (!result.isAuthorized) return gatewayError(response, 403, 'Forbidden');
      authorization = { lambda: result.context };
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch {
      return gatewayError(response, 413, 'Request Entity Too Large');
    }
    const event = buildEvent(request, url, body, route, pathParameters, authorization);
    try {
      const handler = await loadHandler(route.entry);
      const result = await runHandler(handler, event, lambdaContext(route.id));
      // Lambda hands API Gateway the JSON-serialized result: undefined values vanish on the way.
      send(response, result === undefined ? null : JSON.parse(JSON.stringify(result)), event.requestContext.requestId);
    } catch (error) {
      // A handler that throws past its own error mapper is what API Gateway reports as a 500.
      console.error(`[api] ${route.id} crashed:`, error);
      gatewayError(response, 500, 'Internal Server Error');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
