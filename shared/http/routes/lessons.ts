import { campaignPathSchema } from '../../schemas/campaign';
import { jobSchema } from '../../schemas/jobs';
import { approveLessonsSchema, lessonsSchema, profileInsightsSchema } from '../../schemas/report';
import type { RouteDef } from './route';

/** A campaign's end: completing it (the report job), its lessons, the profile insights they feed. */
export const lessonRoutes = [
  {
    id: 'CompleteCampaign',
    method: 'POST',
    path: '/campaigns/{id}/complete',
    entry: 'functions/api/campaign-complete.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      'Completes an in_progress campaign as a job (202): outcome report from the confirmed metrics, lessons draft, status completed, campaign.completed; honours Idempotency-Key',
    tag: 'jobs',
    request: { params: campaignPathSchema, headers: ['Idempotency-Key'] },
    response: { status: 202, data: jobSchema },
    errors: ['CAMPAIGN_NOT_FOUND', 'CAMPAIGN_STATE_CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IN_PROGRESS', 'WORKFLOW_START_FAILED'],
    access: { table: 'readwrite', bucket: 'none', invokeWorker: 'report' },
  },
  {
    id: 'GetLessons',
    method: 'GET',
    path: '/campaigns/{id}/lessons-learned',
    entry: 'functions/api/lessons-get.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:read',
    summary:
      'What worked, what failed and recommendations by platform and pillar, with the numbers they rest on (drafted by the reporter at completion); ETag = version',
    tag: 'learning',
    request: { params: campaignPathSchema },
    response: { status: 200, data: lessonsSchema, etag: true },
    errors: ['CAMPAIGN_NOT_FOUND', 'LESSONS_NOT_READY'],
    mcp: {
      tool: 'get_lessons',
      description:
        'The lessons learned from a completed campaign (what worked, what did not, recommendations) and whether the creator approved them; approved lessons shape the next campaign. Free, read-only.',
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'ApproveLessons',
    method: 'PATCH',
    path: '/campaigns/{id}/approve-lessons',
    entry: 'functions/api/lessons-approve.ts',
    auth: 'jwt',
    apiKeyScope: 'campaigns:write',
    summary:
      "Applies the creator's edits, approves the lessons and writes the learning memories the next campaign's strategist receives; changing approved lessons needs If-Match",
    tag: 'learning',
    request: { params: campaignPathSchema, body: approveLessonsSchema, headers: ['If-Match'] },
    response: { status: 200, data: lessonsSchema, etag: true },
    errors: ['CAMPAIGN_NOT_FOUND', 'LESSONS_NOT_READY', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED'],
    mcp: {
      tool: 'approve_lessons',
      description:
        'Approves (optionally edits) the lessons of a completed campaign so the next campaigns learn from them. Ask the creator first. Free.',
    },
    access: { table: 'readwrite', bucket: 'none' },
  },
  {
    id: 'GetProfileInsights',
    method: 'GET',
    path: '/profile/insights',
    entry: 'functions/api/profile-insights.ts',
    auth: 'jwt',
    summary: "Best posting times per platform from the creator's own confirmed posts (completed campaigns), once there are enough",
    tag: 'learning',
    response: { status: 200, data: profileInsightsSchema },
    access: { table: 'read', bucket: 'none' },
  },
] as const satisfies readonly RouteDef[];
