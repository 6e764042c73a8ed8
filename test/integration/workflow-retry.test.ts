import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let creator: Creator;
let token: string;

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('unlucky-creator', {
    profile: {
      userName: 'Lee',
      creatorType: 'chef',
      niche: 'weeknight vegan cooking',
      targetAudienceNiche: 'new vegans',
      timeZone: 'Asia/Tokyo',
    },
  });
  token = creator.token;
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
  return (await api('GET', `/campaigns/${id}/content?limit=100`, { token })).body.data as {
    day: number;
    platform: string;
    title?: string;
    thumbnailKey?: string;
    version: number;
  }[];
}

describe('an unrecoverable failure, then retry', () => {
  it('fails at the named step, and the retry completes without duplicating content or paying again for stored steps', async () => {
    const { campaignId: id } = await creator
      .campaign({
        name: 'Vegan week',
        goal: { type: 'views', metric: 'Reel views', target: 50_000 },
        startDate: '2026-12-07',
        platforms: [
          { platform: 'instagram', postsPerWeek: 3 },
          { platform: 'youtube', postsPerWeek: 2 },
        ],
        agentConfig: undefined,
      })
      .ready();

    // A misconfigured image provider is a configuration error, not a provider outage: the stage fails.
    process.env.IMAGE_PROVIDER = 'no-such-provider';
    expect((await api('POST', `/campaigns/${id}/start`, { token })).status).toBe(202);
    const failed = await settled(id);
    expect(failed.status).toBe('failed');
    // Every week failed at its thumbnails: none is ready, so the retry takes them all again.
    expect(failed.failure.step).toBe('Thumbnails');
    expect(failed.progress).toMatchObject({ weeksReady: [], weeksFailed: [1] });
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
