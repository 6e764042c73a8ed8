import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.apiUrl);
  token = await stack.token('unlucky-creator');
  const profile = { userName: 'Lee', creatorType: 'chef', niche: 'weeknight vegan cooking', targetAudienceNiche: 'new vegans', timeZone: 'Asia/Tokyo' };
  expect((await api('POST', '/onboarding', { token, body: profile })).status).toBe(201);
});
afterAll(async () => {
  delete process.env.IMAGE_PROVIDER;
  await stack?.dispose();
});

function settled(id: string) {
  return pollUntil(
    async () => (await api('GET', `/campaigns/${id}`, { token })).body.data,
    (campaign) => campaign.status !== 'generating',
    'generation',
  );
}

async function content(id: string) {
  return (await api('GET', `/campaigns/${id}/content?limit=100`, { token })).body.data as { day: number; platform: string; title?: string; thumbnailKey?: string; version: number }[];
}

describe('an unrecoverable failure, then retry', () => {
  it('fails at the named step, and the retry completes without duplicating content or paying again for stored steps', async () => {
    const id = (await api('POST', '/campaigns', { token, body: { name: 'Vegan week' } })).body.data.campaignId;
    const onboarding = {
      goal: { type: 'views', metric: 'Reel views', target: 50_000 },
      durationDays: 7,
      startDate: '2026-12-07',
      platforms: [{ platform: 'instagram', postsPerWeek: 3 }, { platform: 'youtube', postsPerWeek: 2 }],
    };
    await api('PATCH', `/campaigns/${id}/onboarding`, { token, body: onboarding });
    await api('POST', `/campaigns/${id}/complete-onboarding`, { token });

    // A misconfigured image provider is a configuration error, not a provider outage: the stage fails.
    process.env.IMAGE_PROVIDER = 'no-such-provider';
    expect((await api('POST', `/campaigns/${id}/start`, { token })).status).toBe(202);
    const failed = await settled(id);
    expect(failed.status).toBe('failed');
    expect(failed.failure.step).toMatch(/Thumbnail/);
    const paidBefore = (await api('GET', `/campaigns/${id}/stats`, { token })).body.data.llm;
    const written = await content(id);
    expect(written.every((item) => item.title)).toBe(true);

    delete process.env.IMAGE_PROVIDER;
    const retried = await api('POST', `/campaigns/${id}/retry`, { token });
    expect(retried.status).toBe(202);
    expect(retried.body.data.campaign).not.toHaveProperty('failure');
    const done = await settled(id);
    expect(done).toMatchObject({ status: 'in_progress', attempt: 2 });

    const after = await content(id);
    expect(after.map((item) => `${item.day}-${item.platform}`)).toEqual(written.map((item) => `${item.day}-${item.platform}`));
    expect(after.map((item) => item.title)).toEqual(written.map((item) => item.title));
    expect(after.every((item) => item.thumbnailKey)).toBe(true);
    const paidAfter = (await api('GET', `/campaigns/${id}/stats`, { token })).body.data.llm;
    expect(paidAfter).toEqual(paidBefore);
  });
});
