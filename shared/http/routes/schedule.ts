import { campaignPathSchema } from '../../schemas/campaign';
import { pacingSchema } from '../../schemas/pacing';
import { campaignStatsSchema } from '../../schemas/stats';
import {
  confirmDaySchema,
  metricsImportReportSchema,
  metricsImportRequestSchema,
  postExecutionSchema,
  scheduleQuerySchema,
  scheduleSchema,
} from '../../schemas/execution';
import { estimateSchema } from '../../schemas/estimate';
import type { RouteDef } from './route';

/** A campaign's schedule and figures: stats, the posting schedule, day confirmation, calendar exports, the estimate. */
export const scheduleRoutes = [
  {
    id: 'GetCampaignStats',
    method: 'GET',
    path: '/campaigns/{id}/stats',
    entry: 'functions/api/campaign-stats.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary: 'Posts planned / approved / posted, engagement totals, LLM calls, tokens and cost of the campaign',
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: campaignStatsSchema },
    errors: ['CAMPAIGN_NOT_FOUND'],
    mcp: {
      tool: 'get_campaign_stats',
      description:
        'Campaign numbers: posts planned, approved and posted, engagement totals, LLM calls, tokens and cost so far. Free, read-only.',
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'GetCampaignPacing',
    method: 'GET',
    path: '/campaigns/{id}/pacing',
    entry: 'functions/api/campaign-pacing.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary:
      "For each day so far, the goal's actual value and its projected final value with an 80 % interval, and whether the campaign is ahead, on track or behind (not_measurable for leads, sales and launch goals)",
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: pacingSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT'],
    mcp: {
      tool: 'get_campaign_pacing',
      description:
        "Whether a running campaign will reach its goal: per day so far, the goal's value, the projected final value with an 80 % interval and the status ahead, on_track or behind (behind: even the interval's top misses the target). Leads, sales and launch goals answer not_measurable with the reason. Free, read-only.",
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'GetSchedule',
    method: 'GET',
    path: '/campaigns/{id}/schedule',
    entry: 'functions/api/schedule-get.ts',
    auth: 'jwt',
    apiKeyScope: 'schedule:read',
    summary:
      "Day by day in the creator's time zone (from, to: local dates): each post's local time, platform, title, status and presigned thumbnail URL",
    tag: 'execution',
    request: { params: campaignPathSchema, query: scheduleQuerySchema },
    response: { status: 200, data: scheduleSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT'],
    mcp: {
      tool: 'get_schedule',
      description:
        'The posting schedule of a generated campaign: every post by day, local time and platform, with title, status and presigned thumbnail links (15 min). Use it to tell the creator what to post when. Free, read-only.',
    },
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'ConfirmDay',
    method: 'POST',
    path: '/campaigns/{id}/confirm-day',
    entry: 'functions/api/confirm-day.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      'Confirms a planned post as posted (with the platform id, time and metrics) or skipped; again to report grown metrics (history kept); only while in_progress',
    tag: 'execution',
    request: { params: campaignPathSchema, body: confirmDaySchema },
    response: { status: 200, data: postExecutionSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CONTENT_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'DAY_OUTSIDE_CAMPAIGN', 'PLATFORM_NOT_IN_CAMPAIGN'],
    mcp: {
      tool: 'confirm_post',
      description:
        'Records that a planned post went out (platform post id, time, metrics such as views, likes, comments, shares) or was skipped; call again later to report grown metrics. These numbers feed the campaign report and the lessons. Only while in_progress. Free.',
    },
    // Evaluates the goal's pacing with the new numbers (campaign.behind).
    access: { table: 'readwrite', bucket: 'none', emitEvents: true },
  },
  {
    id: 'ImportMetrics',
    method: 'POST',
    path: '/campaigns/{id}/metrics/import',
    entry: 'functions/api/metrics-import.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      "Per-post metrics from a CSV (Crescendo's columns, a YouTube Studio or an X analytics export), matched by platform post id or by date and platform; the matched rows are applied in one transaction and the report says why the others did not match",
    tag: 'execution',
    request: { params: campaignPathSchema, body: metricsImportRequestSchema },
    response: { status: 200, data: metricsImportReportSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'CONTENT_NOT_FOUND', 'METRICS_IMPORT_INVALID'],
    // Evaluates the goal's pacing with the new numbers (campaign.behind).
    access: { table: 'readwrite', bucket: 'none', emitEvents: true },
  },
  {
    id: 'ExportScheduleIcs',
    method: 'GET',
    path: '/campaigns/{id}/schedule.ics',
    entry: 'functions/api/schedule-ics.ts',
    auth: 'jwt',
    apiKeyScope: 'schedule:read',
    summary:
      "The schedule as an iCalendar feed: one event per post in the creator's time zone, stable UIDs, the post text in the description",
    tag: 'execution',
    request: { params: campaignPathSchema },
    response: { status: 200, raw: 'text/calendar' },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'ExportScheduleCsv',
    method: 'GET',
    path: '/campaigns/{id}/schedule.csv',
    entry: 'functions/api/schedule-csv.ts',
    auth: 'jwt',
    apiKeyScope: 'schedule:read',
    summary: 'The schedule as CSV (RFC 4180), one row per post',
    tag: 'execution',
    request: { params: campaignPathSchema },
    response: { status: 200, raw: 'text/csv' },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'EstimateCampaign',
    method: 'POST',
    path: '/campaigns/{id}/estimate',
    entry: 'functions/api/campaign-estimate.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary:
      "Cost dry-run of the campaign as configured, priced on the chain that will run it (model chain, key, image provider), with the plan's limits for it",
    tag: 'campaigns',
    request: { params: campaignPathSchema },
    response: { status: 200, data: estimateSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'ONBOARDING_INCOMPLETE'],
    mcp: {
      tool: 'estimate_campaign',
      description:
        'Prices generation before it starts: LLM calls, tokens, images and cost in micro-dollars, and whether the plan allows it. Always call this and show the creator the cost before start_campaign. Free, read-only.',
    },
    access: { table: 'read', bucket: 'none', estimates: true },
  },
] as const satisfies readonly RouteDef[];
