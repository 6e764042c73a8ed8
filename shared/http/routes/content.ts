import { campaignPathSchema } from '../../schemas/campaign';
import { contentItemSchema, contentPatchSchema, contentPathSchema, contentQuerySchema } from '../../schemas/content';
import { jobSchema, regenerateRequestSchema } from '../../schemas/jobs';
import * as z from '../../schemas/zod';
import type { RouteDef } from './route';

/** A campaign's content items: list, read, edit, regenerate. */
export const contentRoutes = [
  {
    id: 'ListContent',
    method: 'GET',
    path: '/campaigns/{id}/content',
    entry: 'functions/api/content-list.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
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
    apiKeyScope: 'campaigns:read',
    summary: 'One content item with its critique, approval state and revisions',
    tag: 'content',
    request: { params: contentPathSchema },
    response: { status: 200, data: contentItemSchema, etag: true },
    errors: ['CONTENT_NOT_FOUND'],
    mcp: {
      tool: 'get_content',
      description:
        'One post (day × platform): title, script, post text, tags, call to action, critique score, approval state, revisions and a presigned thumbnail link. Free, read-only.',
    },
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'UpdateContent',
    method: 'PATCH',
    path: '/campaigns/{id}/content/{day}/{platform}',
    entry: 'functions/api/content-update.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary: 'Edits title/script/post/seoTags/cta (previous version kept, last 5) or approves / rejects with a reason',
    tag: 'content',
    request: { params: contentPathSchema, body: contentPatchSchema, headers: ['If-Match'] },
    response: { status: 200, data: contentItemSchema, etag: true },
    errors: ['CONTENT_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'PRECONDITION_FAILED'],
    mcp: {
      tool: 'update_content',
      description:
        'Edits a post (title, script, post, seoTags, cta; the previous version is kept) or approves / rejects it with a reason. Use for small edits the creator asks for; use regenerate_content for a rewrite. Free.',
    },
    access: { table: 'readwrite', bucket: 'read' },
  },
  {
    id: 'RegenerateContent',
    method: 'POST',
    path: '/campaigns/{id}/content/{day}/{platform}/regenerate',
    entry: 'functions/api/content-regenerate.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      'Starts rewriting one post (writer with optional instructions, critic, new thumbnail) as a job (202); only while in_progress; honours Idempotency-Key',
    tag: 'jobs',
    request: { params: contentPathSchema, body: regenerateRequestSchema, headers: ['Idempotency-Key'] },
    response: { status: 202, data: jobSchema },
    errors: [
      'CAMPAIGN_NOT_FOUND',
      'CONTENT_NOT_FOUND',
      'CAMPAIGN_STATE_CONFLICT',
      'QUOTA_EXCEEDED',
      'IDEMPOTENCY_KEY_REUSED',
      'IN_PROGRESS',
      'WORKFLOW_START_FAILED',
    ],
    mcp: {
      tool: 'regenerate_content',
      description:
        'Rewrites one post with the AI (writer with optional instructions, critic, new thumbnail) as a background job: spends LLM and image budget and counts as a regeneration. Returns the job (202); poll get_job until it is succeeded or failed. Only while the campaign is in_progress. Pass an idempotencyKey.',
    },
    access: { table: 'readwrite', bucket: 'none', invokeWorker: 'regenerate' },
  },
] as const satisfies readonly RouteDef[];
