import { expect } from 'vitest';
import type { apiClient } from './local-stack';
import { pollUntil } from './poll';

export const SAMPLE_PROFILE = { userName: 'Alice', creatorType: 'educator', niche: 'personal finance', targetAudienceNiche: 'students', timeZone: 'Europe/Paris' };

/** Onboards the token's creator, then creates, configures and starts a campaign; resolves with its id once it is `in_progress`. */
export async function generatedCampaign(api: ReturnType<typeof apiClient>, token: string, onboarding: object): Promise<string> {
  expect((await api('POST', '/onboarding', { token, body: SAMPLE_PROFILE })).status).toBe(201);
  const campaignId: string = (await api('POST', '/campaigns', { token, body: {} })).body.data.campaignId;
  expect((await api('PATCH', `/campaigns/${campaignId}/onboarding`, { token, body: onboarding })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/start`, { token })).status).toBe(202);
  await pollUntil(() => api('GET', `/campaigns/${campaignId}`, { token }), (res) => res.body.data?.status === 'in_progress', 'the campaign to be generated', 90_000);
  return campaignId;
}
