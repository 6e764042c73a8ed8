import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_SIMILARITY, similarity } from '../../shared/domain/content-checks';
import { hookOf } from '../../shared/domain/platform-rules';
import { startFixtures, type Api, type Creator, type TestStack } from '../support/fixtures';

let stack: TestStack;
let api: Api;
let creator: Creator;

beforeAll(async () => {
  const fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('repeater');
}, 60_000);
afterAll(() => stack?.dispose());

const PLAN = { durationDays: 14, platforms: ['youtube', 'x', 'linkedin'] } as const;

const postsOf = async (campaignId: string): Promise<{ title: string; post: string; script?: { hook: string } }[]> => {
  const res = await api('GET', `/campaigns/${campaignId}/content?limit=100`, { token: creator.token });
  expect(res.status).toBe(200);
  return res.body.data;
};

describe("a creator's second campaign", () => {
  it('repeats no title or hook of the first (word 3-gram Jaccard < 0.6)', async () => {
    const first = await postsOf((await creator.campaign({ ...PLAN, platforms: [...PLAN.platforms] }).generated()).campaignId);
    const second = await postsOf((await creator.campaign({ ...PLAN, platforms: [...PLAN.platforms] }).generated()).campaignId);
    expect(first.length).toBeGreaterThanOrEqual(12);
    expect(second.length).toBe(first.length);
    const repeats = second.flatMap((post) =>
      first
        .filter(
          (earlier) =>
            similarity(earlier.title, post.title) >= REPEAT_SIMILARITY || similarity(hookOf(earlier), hookOf(post)) >= REPEAT_SIMILARITY,
        )
        .map((earlier) => `${post.title} ~ ${earlier.title}`),
    );
    expect(repeats).toEqual([]);
  }, 120_000);
});
