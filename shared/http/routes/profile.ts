import { completionSchema, onboardingRequestSchema, phase2RequestSchema, profileSchema } from '../../schemas/profile';
import { followerCountRequestSchema, followerHistoryResponseSchema } from '../../schemas/followers';
import { jobSchema } from '../../schemas/jobs';
import type { RouteDef } from './route';

/** The creator's profile: onboarding, phase 2, completion and the analysis job. */
export const profileRoutes = [
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
    mcp: {
      tool: 'create_profile',
      description:
        "Creates the creator's profile (phase 1 onboarding: name, creator type, niche, audience, time zone). Call once, before anything else, when get_profile answers PROFILE_NOT_FOUND. Free.",
    },
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
    mcp: {
      tool: 'get_profile',
      description:
        "Reads the creator's profile (who they are, niche, audience, time zone, the detailed phase 2 answers). Use it to ground any plan or post in the creator's voice. Free, read-only.",
    },
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
    id: 'RecordFollowerCount',
    method: 'PUT',
    path: '/profile/followers',
    entry: 'functions/api/followers-put.ts',
    auth: 'jwt',
    summary:
      "Records the creator's follower count on a platform for a date (source manual; the newest entry of a date wins), read by the outcome report and the goal",
    tag: 'profile',
    request: { body: followerCountRequestSchema },
    response: { status: 200, data: followerHistoryResponseSchema },
    // Evaluates the pacing of running followers goals on the platform (campaign.behind).
    access: { table: 'readwrite', bucket: 'none', emitEvents: true },
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
    mcp: {
      tool: 'get_profile_completion',
      description:
        'How complete the profile is (percentage) and which fields are missing. Use it to tell the creator what to fill in; a fuller profile gives better campaigns. Free, read-only.',
    },
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'AnalyzeProfile',
    method: 'POST',
    path: '/profile/analyze',
    entry: 'functions/api/profile-analyze.ts',
    auth: 'jwt',
    summary:
      "Starts the context analyzer on the caller's profile as a job (202); the result is kept in the profile's agentContext and reused by campaigns started while it is newer than the profile; honours Idempotency-Key",
    tag: 'jobs',
    request: { headers: ['Idempotency-Key'] },
    response: { status: 202, data: jobSchema },
    errors: ['PROFILE_NOT_FOUND', 'QUOTA_EXCEEDED', 'IDEMPOTENCY_KEY_REUSED', 'IN_PROGRESS', 'WORKFLOW_START_FAILED'],
    access: { table: 'readwrite', bucket: 'none', invokeWorker: 'regenerate' },
  },
] as const satisfies readonly RouteDef[];
