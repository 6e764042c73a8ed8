// Loading a schema module registers its OpenAPI components, so this order is the order of the
// document's components (kept from when the table was one file); the route files load them again.
import '../../schemas/profile';
import '../../schemas/campaign';
import '../../schemas/content';
import '../../schemas/jobs';
import '../../schemas/stats';
import '../../schemas/execution';
import '../../schemas/report';
import '../../schemas/system';
import '../../schemas/estimate';
import '../../schemas/account';
import '../../schemas/webhooks';
import '../../schemas/notifications';
import '../../schemas/assets';
import '../../schemas/api-keys';
import '../../schemas/connections';
import '../../schemas/replan';
import { systemRoutes } from './system';
import { profileRoutes } from './profile';
import { campaignRoutes } from './campaigns';
import { contentRoutes } from './content';
import { jobRoutes } from './jobs';
import { scheduleRoutes } from './schedule';
import { replanRoutes } from './replans';
import { accountRoutes } from './account';
import { notificationRoutes } from './notifications';
import { webhookRoutes } from './webhooks';
import { lessonRoutes } from './lessons';
import { assetRoutes } from './assets';
import { apiKeyRoutes } from './api-keys';
import { connectionRoutes } from './connections';
import { mcpRoutes } from './mcp';
import type { RouteDef } from './route';

export type { BucketAccess, HttpMethod, RequestHeader, RouteDef, TableAccess } from './route';
export { countsTowardRateLimit } from './route';

/**
 * The one route table. It feeds the CDK stack (one function per route, its permissions, the
 * authorizer), the local API Gateway and the OpenAPI document: a route exists in all three or in
 * none. It imports schemas only, never handler code, so CDK and the docs can load it cheaply.
 * A handler imports only its resource's file (`httpRoute(accountRoutes, 'GetAccountAiKey', …)`),
 * never this one, so its bundle carries no other resource's schemas.
 * One file per resource; their order here is the table's order (the OpenAPI document's paths,
 * the synthesized template's resources).
 */
export const routes = [
  ...systemRoutes,
  ...profileRoutes,
  ...campaignRoutes,
  ...contentRoutes,
  ...jobRoutes,
  ...scheduleRoutes,
  ...replanRoutes,
  ...accountRoutes,
  ...notificationRoutes,
  ...webhookRoutes,
  ...lessonRoutes,
  ...assetRoutes,
  ...apiKeyRoutes,
  ...connectionRoutes,
  ...mcpRoutes,
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];

/**
 * The bearer authorizer: one Lambda REQUEST authorizer (simple responses, identity source the
 * Authorization header) that accepts a Clerk JWT or an API key. API Gateway caches its answer per
 * Authorization header for `cacheTtlSeconds`, which bounds how long a revoked key (or an expired
 * JWT) keeps working; the local gateway runs the same handler with a cache of the same TTL.
 */
export const BEARER_AUTHORIZER = { entry: 'functions/authorizers/bearer.ts', cacheTtlSeconds: 60 } as const;

/** Which authorizer guards a route, in the cloud and locally: none, API Gateway's JWT one, or the bearer authorizer. */
export function authorizerOf(route: RouteDef): 'none' | 'jwt' | 'bearer' {
  // `bearer` routes authenticate in the handler, so that their 401 can carry WWW-Authenticate.
  if (route.auth !== 'jwt') return 'none';
  return route.apiKeyScope ? 'bearer' : 'jwt';
}

export function routeById(id: RouteId): RouteDef {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}
