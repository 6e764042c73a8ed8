import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invokeLocal } from '../../dev/lambda-runtime';
import { scheduledEvent } from '../../dev/scheduler';
import { startFixtures, type Api, type Creator, type Fixtures } from '../support/fixtures';
import { pollUntil } from '../support/poll';

// The writer stage of weeks 2 and later waits for the test's signal, and the one week named fails,
// so the test sees week 1 ready while later weeks still generate, then a later week fail.
const control = vi.hoisted(() => {
  let release!: () => void;
  return {
    held: new Promise<void>((resolve) => (release = resolve)),
    release: () => release(),
    failing: undefined as number | undefined,
    /** `attempt:week:round` of every writer task that ran. */
    writes: [] as string[],
  };
});
vi.mock('../../shared/workflow/stages/writer', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../shared/workflow/stages/writer')>();
  return {
    ...original,
    writeBatch: async (...args: Parameters<typeof original.writeBatch>) => {
      const [, batch] = args;
      control.writes.push(`${batch.attempt}:${batch.week}:${batch.round}`);
      if (batch.week > 1) await control.held;
      if (batch.week === control.failing) throw new Error(`the model is down for week ${batch.week}`);
      return original.writeBatch(...args);
    },
  };
});

let fixtures: Fixtures;
let api: Api;
let creator: Creator;

beforeAll(async () => {
  fixtures = await startFixtures();
  api = fixtures.api;
  creator = await fixtures.creator('weekly-creator');
});
afterAll(() => fixtures?.dispose());

interface Post {
  day: number;
  platform: string;
  title?: string;
  thumbnailKey?: string;
  version: number;
  dueAt: string;
  updatedAt: string;
  approval: { state: string };
  prediction?: { score: number };
}

const campaignOf = async (id: string) => (await api('GET', `/campaigns/${id}`, { token: creator.token })).body.data;
/** The campaign's posts by day, without their thumbnail links (signed anew at every read). */
const contentOf = async (id: string) =>
  ((await api('GET', `/campaigns/${id}/content?limit=100`, { token: creator.token })).body.data as (Post & { thumbnailUrl?: string })[])
    .map(({ thumbnailUrl: _, ...post }) => post)
    .sort((a, b) => a.day - b.day || a.platform.localeCompare(b.platform));
const weekOf = (posts: Post[], week: number) => posts.filter((post) => Math.ceil(post.day / 7) === week);

describe('a campaign generated week by week', () => {
  it('shows week 1 ready while later weeks generate; a failed later week is retried alone, week 1 untouched', async () => {
    control.failing = 3;
    const { campaignId: id } = await creator
      .campaign({ name: 'Three weeks', durationDays: 21, startDate: '2026-12-14', platforms: ['instagram', 'youtube'] })
      .started();

    // Week 1: written, critiqued and illustrated while weeks 2 and 3 wait in their writer.
    const generating = await pollUntil(
      () => campaignOf(id),
      (campaign) => campaign.progress?.weeksReady?.includes(1),
      'week 1 to be ready',
      30_000,
    );
    expect(generating).toMatchObject({ status: 'generating', progress: { weeksTotal: 3, weeksReady: [1] } });
    const early = await contentOf(id);
    expect(weekOf(early, 1).length).toBe(6);
    expect(weekOf(early, 1).every((post) => post.title && post.thumbnailKey)).toBe(true);
    expect([...weekOf(early, 2), ...weekOf(early, 3)].some((post) => post.title)).toBe(false);
    const schedule = (await api('GET', `/campaigns/${id}/schedule?from=2026-12-14&to=2026-12-20`, { token: creator.token })).body.data;
    expect(schedule.days.flatMap((day: { posts: { title?: string }[] }) => day.posts).every((post: { title?: string }) => post.title)).toBe(
      true,
    );

    // The creator approves a week-1 post while the campaign still generates.
    const first = weekOf(early, 1)[0];
    const approved = await api('PATCH', `/campaigns/${id}/content/${first.day}/${first.platform}`, {
      token: creator.token,
      body: { approval: { state: 'approved' } },
    });
    expect(approved.status).toBe(200);

    // The posting trigger takes a ready post of the generating campaign; a post of a week not ready is not due-indexed.
    const dueNotices = async () =>
      ((await api('GET', '/notifications?limit=100', { token: creator.token })).body.data as { type: string; data: { day: number } }[])
        .filter((notice) => notice.type === 'post.due')
        .map((notice) => notice.data.day);
    for (const post of [first, weekOf(early, 2)[0]]) {
      await invokeLocal(
        'functions/triggers/posting-trigger.ts',
        scheduledEvent('PostingSchedule', new Date(Date.parse(post.dueAt) + 60_000)),
        'PostingTrigger',
      );
      await fixtures.stack.asyncIdle();
    }
    expect(await dueNotices()).toEqual([first.day]);

    control.release();
    const failed = await pollUntil(
      () => campaignOf(id),
      (campaign) => campaign.status !== 'generating',
      'week 3 to fail',
      30_000,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { step: 'Writing', message: expect.stringMatching(/^week 3 failed .*weeks 1, 2 ready and kept/) },
      progress: { weeksFailed: [3] },
    });
    // Weeks 1 and 2 generate side by side: either may be ready first.
    expect([...failed.progress.weeksReady].sort()).toEqual([1, 2]);
    const before = await contentOf(id);
    const paidBefore = (await api('GET', `/campaigns/${id}/stats`, { token: creator.token })).body.data.llm;

    control.failing = undefined;
    control.writes.length = 0;
    expect((await api('POST', `/campaigns/${id}/retry`, { token: creator.token })).status).toBe(202);
    const done = await pollUntil(
      () => campaignOf(id),
      (campaign) => campaign.status !== 'generating',
      'the retry',
      30_000,
    );
    expect(done).toMatchObject({ status: 'in_progress', attempt: 2 });
    expect([...done.progress.weeksReady].sort()).toEqual([1, 2, 3]);

    // Only week 3 was written again; weeks 1 and 2 are exactly as they were, the approval included.
    expect(new Set(control.writes.map((write) => write.split(':')[1])), control.writes.join()).toEqual(new Set(['3']));
    const after = await contentOf(id);
    // Finalize predicts every post once all weeks are ready (issue 18), the only field it adds.
    const unpredicted = (posts: Post[]) => posts.map(({ prediction: _prediction, ...post }) => post);
    expect(unpredicted([...weekOf(after, 1), ...weekOf(after, 2)])).toEqual([...weekOf(before, 1), ...weekOf(before, 2)]);
    expect(after.find((post) => post.day === first.day && post.platform === first.platform)).toMatchObject({
      approval: { state: 'approved' },
      version: 2,
    });
    expect(weekOf(after, 3).every((post) => post.title && post.thumbnailKey)).toBe(true);
    // The retry paid for week 3's writer calls (a chunk per platform) and its critic, per round, only.
    const rounds = control.writes.length;
    const paidAfter = (await api('GET', `/campaigns/${id}/stats`, { token: creator.token })).body.data.llm;
    // Round 0 writes both platforms' chunks; a rewrite round only those with posts under the bar.
    expect(paidAfter.calls - paidBefore.calls).toBeGreaterThanOrEqual(3 + (rounds - 1) * 2);
    expect(paidAfter.calls - paidBefore.calls).toBeLessThanOrEqual(rounds * 3);
  }, 90_000);
});
