import { completionSchema, onboardingRequestSchema, phase2RequestSchema, profileSchema } from '../schemas/profile';
import {
  campaignDetailSchema,
  campaignPatchSchema,
  campaignPathSchema,
  campaignSchema,
  createCampaignSchema,
  listCampaignsQuerySchema,
  startResponseSchema,
} from '../schemas/campaign';
import { contentItemSchema, contentPatchSchema, contentPathSchema, contentQuerySchema } from '../schemas/content';
import { jobPathSchema, jobSchema, listJobsQuerySchema, regenerateRequestSchema } from '../schemas/jobs';
import { campaignStatsSchema } from '../schemas/stats';
import { healthSchema } from '../schemas/system';
import * as z from 'zod';

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
  /** invokeWorker: may invoke the named worker function asynchronously (its name in the environment). */
  access: { table: TableAccess; bucket: BucketAccess; startWorkflow?: boolean; invokeWorker?: 'regenerate' };
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
  {
    id: 'CreateCampaign',
    method: 'POST',
    path: '/campaigns',
    entry: 'functions/api/campaign-create.ts',
    auth: 'jwt',
    summary: 'Creates an empty campaign shell (onboarding_incomplete)',
    tag: 'campaigns',
    request: { body: createCampaignSchema },
    response: { status: 201, data: campaignSchema },
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'ListCampaigns',
    method: 'GET',
    path: '/campaigns',
    entry: 'functions/api/campaign-list.ts',
    auth: 'jwt',
    summary: "The caller's campaigns, newest first, cursor-paginated, optionally by status",
    tag: 'campaigns',
    request: { query: listCampaignsQuerySchema },
    response: { status: 200, data: z.array(campaignSchema) },
    errors: ['INVALID_CURSOR'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'GetCampaign',
    method: 'GET',
    path: '/campaigns/{id}',
    entry: 'functions/api/campaign-get.ts',
    auth: 'jwt',
    summary: 'A campaign with its agent outputs and progress (one Query)',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: campaignDetailSchema },
    errors: ['CAMPAIGN_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'UpdateCampaign',
    method: 'PATCH',
    path: '/campaigns/{id}',
    entry: 'functions/api/campaign-update.ts',
    auth: 'jwt',
    summary: 'Edits name and onboarding fields before start; honours If-Match with the version',
    tag: 'campaigns',
    request: { params: campaignPathSchema, body: campaignPatchSchema },
    response: { status: 200, data: campaignSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'PRECONDITION_FAILED'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'UpdateCampaignOnboarding',
    method: 'PATCH',
    path: '/campaigns/{id}/onboarding',
    entry: 'functions/api/campaign-onboarding.ts',
    auth: 'jwt',
    summary: 'Sets the campaign onboarding answers (goal, duration, start date, platforms, competitors, agent config)',
    tag: 'campaigns',
    request: { params: campaignPathSchema, body: campaignPatchSchema },
    response: { status: 200, data: campaignSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'PRECONDITION_FAILED'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'CompleteCampaignOnboarding',
    method: 'POST',
    path: '/campaigns/{id}/complete-onboarding',
    entry: 'functions/api/campaign-complete-onboarding.ts',
    auth: 'jwt',
    summary: 'Moves the campaign to ready_to_start, or lists the missing fields',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: campaignSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'ONBOARDING_INCOMPLETE'],
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'StartCampaign',
    method: 'POST',
    path: '/campaigns/{id}/start',
    entry: 'functions/api/campaign-start.ts',
    auth: 'jwt',
    summary: 'Freezes the profile snapshot and starts generation (202); honours Idempotency-Key',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 202, data: startResponseSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'PROFILE_NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'IN_PROGRESS', 'WORKFLOW_START_FAILED'],
    access: { table: 'readwrite', bucket: 'none', startWorkflow: true },
  },
  {
    id: 'RetryCampaign',
    method: 'POST',
    path: '/campaigns/{id}/retry',
    entry: 'functions/api/campaign-retry.ts',
    auth: 'jwt',
    summary: 'Starts a new attempt of a failed campaign (202); honours Idempotency-Key',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 202, data: startResponseSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IN_PROGRESS', 'WORKFLOW_START_FAILED'],
    access: { table: 'readwrite', bucket: 'none', startWorkflow: true },
  },
  {
    id: 'DeleteCampaign',
    method: 'DELETE',
    path: '/campaigns/{id}',
    entry: 'functions/api/campaign-delete.ts',
    auth: 'jwt',
    summary: 'Deletes a campaign (not while generating or running): every item and every media object',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 204 },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT'],
    access: { table: 'readwrite', bucket: 'readwrite' },
  },
  {
    id: 'ListContent',
    method: 'GET',
    path: '/campaigns/{id}/content',
    entry: 'functions/api/content-list.ts',
    auth: 'jwt',
    summary: "The campaign's content items (day × platform), by day range and platform, with presigned thumbnail URLs",
    tag: 'content',
    request: { params: campaignPathSchema, query: contentQuerySchema },
    response: { status: 200, data: z.array(contentItemSchema) },
    errors: ['CAMPAIGN_NOT_FOUND', 'INVALID_CURSOR'],
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'GetContent',
    method: 'GET',
    path: '/campaigns/{id}/content/{day}/{platform}',
    entry: 'functions/api/content-get.ts',
    auth: 'jwt',
    summary: 'One content item with its critique, approval state and revisions',
    tag: 'content',
    request: { params: contentPathSchema },
    response: { status: 200, data: contentItemSchema },
    errors: ['CONTENT_NOT_FOUND'],
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'UpdateContent',
    method: 'PATCH',
    path: '/campaigns/{id}/content/{day}/{platform}',
    entry: 'functions/api/content-update.ts',
    auth: 'jwt',
    summary: 'Edits title/script/post/seoTags/cta (previous version kept, last 5) or approves / rejects with a reason',
    tag: 'content',
    request: { params: contentPathSchema, body: contentPatchSchema },
    response: { status: 200, data: contentItemSchema },
    errors: ['CONTENT_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'PRECONDITION_FAILED'],
    access: { table: 'readwrite', bucket: 'read' },
  },
  {
    id: 'RegenerateContent',
    method: 'POST',
    path: '/campaigns/{id}/content/{day}/{platform}/regenerate',
    entry: 'functions/api/content-regenerate.ts',
    auth: 'jwt',
    summary: 'Starts rewriting one post (writer with optional instructions, critic, new thumbnail) as a job (202); only while in_progress; honours Idempotency-Key',
    tag: 'jobs',
    request: { params: contentPathSchema, body: regenerateRequestSchema },
    response: { status: 202, data: jobSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CONTENT_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IN_PROGRESS', 'WORKFLOW_START_FAILED'],
    access: { table: 'readwrite', bucket: 'none', invokeWorker: 'regenerate' },
  },
  {
    id: 'GetJob',
    method: 'GET',
    path: '/jobs/{id}',
    entry: 'functions/api/job-get.ts',
    auth: 'jwt',
    summary: "One of the caller's jobs: status, progress, cost and result",
    tag: 'jobs',
    request: { params: jobPathSchema },
    response: { status: 200, data: jobSchema },
    errors: ['JOB_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'ListJobs',
    method: 'GET',
    path: '/jobs',
    entry: 'functions/api/job-list.ts',
    auth: 'jwt',
    summary: "The caller's jobs, newest first, cursor-paginated",
    tag: 'jobs',
    request: { query: listJobsQuerySchema },
    response: { status: 200, data: z.array(jobSchema) },
    errors: ['INVALID_CURSOR'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'GetCampaignStats',
    method: 'GET',
    path: '/campaigns/{id}/stats',
    entry: 'functions/api/campaign-stats.ts',
    auth: 'jwt',
    summary: 'Posts planned / approved / posted, engagement totals, LLM calls, tokens and cost of the campaign',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: campaignStatsSchema },
    errors: ['CAMPAIGN_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];

export type RouteId = (typeof routes)[number]['id'];

export function routeById(id: RouteId): RouteDef {
  const route = routes.find((r) => r.id === id);
  if (!route) throw new Error(`Unknown route ${id}`);
  return route;
}
