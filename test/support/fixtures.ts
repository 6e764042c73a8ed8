import { expect } from 'vitest';
import type * as z from '../../shared/schemas/zod';
import type { Campaign, campaignPatchSchema } from '../../shared/schemas/campaign';
import type { Tier } from '../../shared/schemas/plans';
import type { OnboardingRequest, Phase2Request } from '../../shared/schemas/profile';
import { apiClient, startTestStack, type TestStackOptions } from './local-stack';
import { pollUntil } from './poll';

/**
 * The setup the integration files share, as a small builder over the API:
 *
 *   const fixtures = await startFixtures();
 *   const alice = await fixtures.creator('alice', { tier: 'pro' });
 *   const { campaignId } = await alice.campaign({ durationDays: 14, platforms: ['x'] }).generated();
 *
 * Every step goes through the real routes and checks its status, so a broken step fails where it
 * happens rather than in the assertions that follow.
 */
export type TestStack = Awaited<ReturnType<typeof startTestStack>>;
export type Api = ReturnType<typeof apiClient>;
export type CampaignOnboarding = z.input<typeof campaignPatchSchema>;
type PlatformPlan = NonNullable<CampaignOnboarding['platforms']>[number];
/** A campaign as the API shows it; GET /campaigns/{id} adds the agents' outputs. */
export type CampaignView = Campaign & Record<string, any>;

export const SAMPLE_PROFILE = {
  userName: 'Alice',
  creatorType: 'educator',
  niche: 'personal finance',
  targetAudienceNiche: 'students',
  timeZone: 'Europe/Paris',
} satisfies OnboardingRequest;

/** A short, cheap campaign: one week on YouTube, one critique round. */
export const SAMPLE_CAMPAIGN = {
  name: 'Sample week',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 5000, baseline: 1200 },
  durationDays: 7,
  startDate: '2026-12-01',
  platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 7, maxCritiqueRounds: 1 },
} satisfies CampaignOnboarding;

/**
 * Changes to SAMPLE_CAMPAIGN, field by field. A field set to `undefined` is left out (the server's
 * default applies); a platform given by name posts 3 times a week.
 */
export type CampaignOverrides = Omit<Partial<CampaignOnboarding>, 'platforms'> & {
  platforms?: (PlatformPlan | PlatformPlan['platform'])[];
};

export interface CreatorOptions {
  /** Phase 1 of onboarding, over SAMPLE_PROFILE; `false`: not onboarded. */
  profile?: Partial<OnboardingRequest> | false;
  /** Phase 2 of onboarding (PATCH /profile/phase2), when given. */
  details?: Phase2Request;
  /** The plan an admin puts the creator on (PATCH /account/plan); the free tier without it. */
  tier?: Tier;
}

export interface Creator {
  userId: string;
  token: string;
  /** Phase 1 of onboarding with SAMPLE_PROFILE and `profile` over it: 201. */
  onboard(profile?: Partial<OnboardingRequest>): Promise<void>;
  /** Phase 2 of onboarding: 200. */
  details(details: Phase2Request): Promise<void>;
  campaign(overrides?: CampaignOverrides): CampaignSetup;
  /** POST /campaigns/{id}/start: 202; the campaign, generating. */
  start(campaignId: string): Promise<CampaignView>;
  /** Waits until the campaign is no longer generating; it must be in_progress. */
  generation(campaignId: string, timeoutMs?: number): Promise<CampaignView>;
}

/** How far a campaign goes before the test takes over; each step includes the ones before it. */
export interface CampaignSetup {
  /** POST /campaigns (with the name): 201. */
  draft(): Promise<CampaignView>;
  /** Onboarding set (PATCH /onboarding: 200) and completed: ready_to_start. */
  ready(): Promise<CampaignView>;
  /** Started: 202, generating. */
  started(): Promise<CampaignView>;
  /** Started and generated: in_progress. */
  generated(): Promise<CampaignView>;
}

export interface Fixtures {
  stack: TestStack;
  api: Api;
  /** A signed token for `userId`, nothing else. */
  token: TestStack['token'];
  /** A creator with a token, onboarded (phase 1, and phase 2 with `details`) unless `profile: false`. */
  creator(userId: string, options?: CreatorOptions): Promise<Creator>;
  /** Puts `userId` on `tier`, as an admin does. */
  setTier(userId: string, tier: Tier): Promise<void>;
  dispose(): Promise<void>;
}

/** The onboarding body: SAMPLE_CAMPAIGN with the overrides, fields set to undefined left out. */
export function campaignOnboarding(overrides: CampaignOverrides = {}): CampaignOnboarding {
  const merged: Record<string, unknown> = { ...SAMPLE_CAMPAIGN, ...overrides };
  if (overrides.platforms)
    merged.platforms = overrides.platforms.map((plan) => (typeof plan === 'string' ? { platform: plan, postsPerWeek: 3 } : plan));
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)) as CampaignOnboarding;
}

/** Starts the local stack (see startTestStack) and returns the builder over it. */
export async function startFixtures(options: TestStackOptions = {}): Promise<Fixtures> {
  return fixturesOn(await startTestStack(options));
}

function fixturesOn(stack: TestStack): Fixtures {
  const api = apiClient(stack.apiUrl);
  let admin: Promise<string> | undefined;

  const setTier = async (userId: string, tier: Tier) => {
    admin ??= stack.token('ops-admin', { claims: { role: 'admin' } });
    expect((await api('PATCH', '/account/plan', { token: await admin, body: { tier, userId } })).status).toBe(200);
  };

  const creator = async (userId: string, options: CreatorOptions = {}): Promise<Creator> => {
    const self = creatorOf(api, userId, await stack.token(userId));
    if (options.tier) await setTier(userId, options.tier);
    if (options.profile !== false) await self.onboard(options.profile);
    if (options.details) await self.details(options.details);
    return self;
  };

  return { stack, api, token: stack.token.bind(stack), creator, setTier, dispose: () => stack.dispose() };
}

/** The creator behind `token`, for a stack started without the builder (e.g. `npm start` in a child process). */
export function creatorOf(api: Api, userId: string, token: string): Creator {
  const start = async (campaignId: string): Promise<CampaignView> => {
    const res = await api('POST', `/campaigns/${campaignId}/start`, { token });
    expect(res.status).toBe(202);
    return res.body.data.campaign;
  };
  const generation = async (campaignId: string, timeoutMs = 90_000) => {
    const campaign: CampaignView = await pollUntil(
      async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data,
      (current) => current?.status !== 'generating',
      `generation of ${userId}'s campaign ${campaignId}`,
      timeoutMs,
    );
    expect(campaign.status).toBe('in_progress');
    return campaign;
  };

  const campaign = (overrides: CampaignOverrides = {}): CampaignSetup => {
    const onboarding = campaignOnboarding(overrides);
    const draft = async (): Promise<CampaignView> => {
      const created = await api('POST', '/campaigns', { token, body: onboarding.name === undefined ? {} : { name: onboarding.name } });
      expect(created.status).toBe(201);
      return created.body.data;
    };
    const ready = async (): Promise<CampaignView> => {
      const { campaignId } = await draft();
      expect((await api('PATCH', `/campaigns/${campaignId}/onboarding`, { token, body: onboarding })).status).toBe(200);
      const completed = await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token });
      expect(completed.status).toBe(200);
      expect(completed.body.data.status).toBe('ready_to_start');
      return completed.body.data;
    };
    const started = async () => start((await ready()).campaignId);
    const generated = async () => generation((await started()).campaignId);
    return { draft, ready, started, generated };
  };

  return {
    userId,
    token,
    onboard: async (profile = {}) => {
      expect((await api('POST', '/onboarding', { token, body: { ...SAMPLE_PROFILE, ...profile } })).status).toBe(201);
    },
    details: async (details) => {
      expect((await api('PATCH', '/profile/phase2', { token, body: details })).status).toBe(200);
    },
    campaign,
    start,
    generation,
  };
}

/** Completes a running campaign (a job), waits for the job to succeed and returns the completed campaign. */
export async function completeCampaign(api: Api, token: string, campaignId: string): Promise<CampaignView> {
  const started = await api('POST', `/campaigns/${campaignId}/complete`, {
    token,
    headers: { 'idempotency-key': `complete-${campaignId}` },
  });
  expect(started.status).toBe(202);
  const job = await pollUntil(
    async () => (await api('GET', `/jobs/${started.body.data.jobId}`, { token })).body.data,
    (current: { status: string }) => ['succeeded', 'failed'].includes(current.status),
    'the completion job',
  );
  expect(job.status).toBe('succeeded');
  return (await api('GET', `/campaigns/${campaignId}`, { token })).body.data;
}
