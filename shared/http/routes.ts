import type { z } from 'zod';
import { completionSchema, onboardingRequestSchema, phase2RequestSchema, profileSchema } from '../schemas/profile';
import { healthSchema } from '../schemas/system';

/**
 * The one route table. It feeds the CDK stack (one function per route, its permissions, the
 * authorizer), the local API Gateway and the OpenAPI document: a route exists in all three or in
 * none. It imports schemas only, never handler code, so CDK and the docs can load it cheaply.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type TableAccess = 'none' | 'read' | 'readwrite';
export type BucketAccess = 'none' | 'read' | 'readwrite';

export interface RouteDef {
  /** Stable id: names the function in CDK and the operation in OpenAPI. */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: `/campaigns/{id}`. */
  path: string;
  /** Handler module, relative to the repository root; exports `handler`. */
  entry: string;
  auth: 'jwt' | 'public';
  summary: string;
  tag: string;
  request?: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
  /** Schema of `data` in the success envelope; `raw` routes answer with their own content type. */
  response: { status: number; data?: z.ZodType; raw?: string };
  /** Error codes this route may answer besides the common ones. */
  errors?: string[];
  access: { table: TableAccess; bucket: BucketAccess; startWorkflow?: boolean };
}

export const routes = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    entry: 'functions/api/health.ts',
    auth: 'public',
    summary: 'Service version and a dependency check of the table',
    tag: 'system',
    response: { status: 200, data: healthSchema },
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
    response: { status: 200, raw: 'application/octet-stream' },
    access: { table: 'none', bucket: 'none' },
  },
  {
    id: 'CreateOnboarding',
    method: 'POST',
    path: '/onboarding',
    entry: 'functions/api/onboarding.ts',
    auth: 'jwt',
    summary: 'Phase 1 onboarding: creates the user and the creator profile',
    tag: 'profile',
    request: { body: onboardingRequestSchema },
    response: { status: 201, data: profileSchema },
    errors: ['PROFILE_EXISTS'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'GetProfile',
    method: 'GET',
    path: '/profile',
    entry: 'functions/api/profile-get.ts',
    auth: 'jwt',
    summary: "The caller's creator profile",
    tag: 'profile',
    response: { status: 200, data: profileSchema },
    errors: ['PROFILE_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'UpdateProfilePhase2',
    method: 'PATCH',
    path: '/profile/phase2',
    entry: 'functions/api/profile-phase2.ts',
    auth: 'jwt',
    summary: 'Phase 2 onboarding: partial update of the 11 detailed profile fields',
    tag: 'profile',
    request: { body: phase2RequestSchema },
    response: { status: 200, data: profileSchema },
    errors: ['PROFILE_NOT_FOUND'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'GetProfileCompletion',
    method: 'GET',
    path: '/profile/completion',
    entry: 'functions/api/profile-completion.ts',
    auth: 'jwt',
    summary: 'Profile completion percentage and the missing fields',
    tag: 'profile',
    response: { status: 200, data: completionSchema },
    errors: ['PROFILE_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];

export function routeById(id: RouteId): RouteDef {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}
