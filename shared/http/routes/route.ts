import type * as z from '../../schemas/zod';
import type { ApiKeyScope } from '../../schemas/vocabulary';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type TableAccess = 'none' | 'read' | 'readwrite';
export type BucketAccess = 'none' | 'read' | 'readwrite';
/** Request headers a handler reads (besides Authorization and Content-Type); the OpenAPI document declares them. */
export type RequestHeader = 'Idempotency-Key' | 'If-Match' | 'svix-id' | 'svix-timestamp' | 'svix-signature';

export interface RouteDef {
  /** Stable id: names the function in CDK and the operation in OpenAPI. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{id}`. */
  path: string;
  /** Handler module, relative to the repository root; exports `handler`. */
  entry: string;
  /**
   * `bearer`: no gateway authorizer; the handler checks `Authorization: Bearer` itself (a Clerk JWT
   * or an API key of any scope, as the bearer authorizer does), so that its 401 can carry a
   * `WWW-Authenticate` header, which an HTTP API authorizer's 401 cannot (the MCP server).
   */
  auth: 'jwt' | 'public' | 'bearer';
  /**
   * The scope an API key needs for this route. A `jwt` route with a scope is guarded by the bearer
   * authorizer (a Clerk JWT or an API key); without one it stays JWT-only (the JWT authorizer), so
   * keys never reach account, plan, key management, export or deletion routes.
   */
  apiKeyScope?: ApiKeyScope;
  summary: string;
  tag: string;
  request?: { body?: z.ZodMiniType; query?: z.ZodMiniType; params?: z.ZodMiniType; headers?: readonly RequestHeader[] };
  /**
   * Schema of `data` in the success envelope; `raw` routes answer with their own content type(s).
   * `etag`: the success response carries `ETag` = the resource's version (for If-Match).
   * `alsoStatuses`: other statuses the handler sends the same `data` with (GET /health: 503 degraded).
   * `protocol`: a raw route's other answers that its own protocol defines, outside the envelope (the
   * MCP transport's 202 and its JSON-RPC errors): what each means and its JSON body, if it has one.
   */
  response: {
    status: number;
    data?: z.ZodMiniType;
    raw?: string | readonly string[];
    etag?: boolean;
    alsoStatuses?: readonly number[];
    protocol?: readonly { status: number; description: string; body?: z.ZodMiniType }[];
  };
  /**
   * Exposes the route as a tool of the MCP server (functions/api/mcp.ts): its name and a
   * description written for a model (what it does, when to use it, what it costs).
   */
  mcp?: { tool: string; description: string };
  /** Error codes this route may answer besides the common ones. */
  errors?: string[];
  /**
   * invokeWorker: may invoke the named worker function asynchronously (its name in the environment).
   * emitEvents: emits creator events (shared/events/emit.ts): PutEvents on the bus, invoking the webhook delivery worker.
   * clerkWebhookSecret: may read the Clerk webhook's signing secret (Secrets Manager, when the deploy names one).
   * signUploads: signs presigned POSTs into the bucket's `uploads/` prefix (s3:PutObject there only: the form carries the signer's permission).
   * estimates: prices campaigns (shared/domain/estimate.ts), so it gets the model chain and image provider the agents run with.
   * creatorAiKeys: `seal` stores creators' own Gemini keys (kms:GenerateDataKey on the key-wrapping KMS key);
   * `open` runs agents on them (kms:Decrypt on that key only); `both` for connections' tokens that are opened and re-sealed on refresh. Each sets AI_KEY_KMS_KEY_ARN.
   * platformConnections: calls the platforms' APIs (shared/connectors/): the app credentials' secret
   * (Secrets Manager, when the deploy names one) and the allow-listed redirect URIs.
   * jwtIssuer: reads the Clerk issuer (JWT_ISSUER, JWT_AUDIENCE, JWT_JWKS_URL): verifies bearer tokens itself or names the issuer.
   */
  access: {
    table: TableAccess;
    bucket: BucketAccess;
    startWorkflow?: boolean;
    invokeWorker?: 'regenerate' | 'webhookDelivery' | 'report' | 'accountData';
    emitEvents?: boolean;
    clerkWebhookSecret?: boolean;
    signUploads?: boolean;
    estimates?: boolean;
    creatorAiKeys?: 'seal' | 'open' | 'both';
    platformConnections?: boolean;
    jwtIssuer?: boolean;
  };
}

/** Routes the per-user rate limiter counts (when RATE_LIMIT is on): authenticated ones that reach the table. */
export function countsTowardRateLimit(route: RouteDef): boolean {
  return route.auth === 'jwt' && route.access.table !== 'none';
}

/** The route `id` of one resource's table (shared/http/routes/<resource>.ts), typed as that table declares it. */
export function routeIn<const Table extends readonly RouteDef[], Id extends Table[number]['id']>(
  table: Table,
  id: Id,
): Extract<Table[number], { id: Id }> {
  const route = table.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route as Extract<Table[number], { id: Id }>;
}
