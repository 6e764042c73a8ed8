import * as z from '../../schemas/zod';
import { campaignPathSchema } from '../../schemas/campaign';
import {
  replanEstimateSchema,
  replanItemPathSchema,
  replanPageQuerySchema,
  replanRequestSchema,
  replanSchema,
  replanStartSchema,
  replanSummarySchema,
} from '../../schemas/replan';
import type { RouteDef } from './route';

/** A running campaign's re-plans (shared/app/replan.ts): price one, start one, read their diffs. */
export const replanRoutes = [
  {
    id: 'EstimateReplan',
    method: 'POST',
    path: '/campaigns/{id}/replan/estimate',
    entry: 'functions/api/replan-estimate.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary:
      "Cost dry-run of a re-plan of the campaign's open posts (not posted, skipped, due, approved or edited), on the chain that will run it, with the plan's limits",
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: replanEstimateSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'REPLAN_RUNNING'],
    mcp: {
      tool: 'estimate_replan',
      description:
        "Prices a re-plan of a running campaign's remaining open posts (LLM calls, tokens, images, cost in micro-dollars, the plan's limits) and says how many posts it would leave untouched. Call it and show the cost before replan_campaign, e.g. when a campaign.behind notice proposes one. Free, read-only.",
    },
    access: { table: 'read', bucket: 'none', estimates: true },
  },
  {
    id: 'StartReplan',
    method: 'POST',
    path: '/campaigns/{id}/replan',
    entry: 'functions/api/replan-start.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      'Re-plans the open posts from what has performed (202 with the re-plan number to poll); posted, approved and edited posts stay as they are; honours Idempotency-Key',
    tag: 'campaigns',
    request: { params: campaignPathSchema, body: replanRequestSchema, headers: ['Idempotency-Key'] },
    response: { status: 202, data: replanStartSchema },
    errors: [
      'CAMPAIGN_NOT_FOUND',
      'CAMPAIGN_STATE_CONFLICT',
      'REPLAN_RUNNING',
      'QUOTA_EXCEEDED',
      'PRECONDITION_FAILED',
      'IDEMPOTENCY_KEY_REUSED',
      'IN_PROGRESS',
      'WORKFLOW_START_FAILED',
    ],
    mcp: {
      tool: 'replan_campaign',
      description:
        'Starts a re-plan of a running campaign: its open posts move to the pillars, formats and posting times that have performed and are rewritten; posted, approved and edited posts are never touched. This spends LLM and image budget (see estimate_replan). Returns at once (202) with n; poll get_replan. Pass an idempotencyKey so a retried call starts once.',
    },
    access: { table: 'readwrite', bucket: 'none', startWorkflow: true, estimates: true },
  },
  {
    id: 'GetReplan',
    method: 'GET',
    path: '/campaigns/{id}/replans/{n}',
    entry: 'functions/api/replan-get.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary: 'One re-plan: its status, reason, dates and its diff (per changed post: before, after, why), cursor-paginated',
    tag: 'campaigns',
    request: { params: replanItemPathSchema, query: replanPageQuerySchema },
    response: { status: 200, data: replanSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'REPLAN_NOT_FOUND', 'INVALID_CURSOR'],
    mcp: {
      tool: 'get_replan',
      description:
        'A re-plan of a campaign: running, succeeded or failed, and per changed post its title, hook and arms (pillar, format, hour band) before and after, with the evidence why. Free, read-only.',
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'ListReplans',
    method: 'GET',
    path: '/campaigns/{id}/replans',
    entry: 'functions/api/replan-list.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary: "The campaign's re-plans, newest first, without their changes",
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: z.array(replanSummarySchema) },
    errors: ['CAMPAIGN_NOT_FOUND'],
    access: { table: 'read', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
