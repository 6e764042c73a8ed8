import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextDailyEvaluation } from '../../shared/domain/pacing';
import { addDays } from '../../shared/domain/schedule';
import { SAMPLE_PROFILE, startFixtures, type Api, type Creator, type TestStack } from '../support/fixtures';
import { runPlatformImport } from '../support/platform-journey';

/**
 * The daily pacing evaluation (shared/app/pacing.ts, evaluateDailyPacing, run by the hourly
 * platform import): a campaign whose numbers never arrive turns `behind` on its day's evaluation
 * and the creator is told once, even by two overlapping runs; the marker then waits for the
 * creator's evening, whose evaluation finds it still behind and tells nobody again.
 */

let stack: TestStack;
let api: Api;
let creator: Creator;
let campaignId: string;
const startDate = addDays(new Date().toISOString().slice(0, 10), -5);

beforeAll(async () => {
  const fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator('quiet');
  // Six days in, no numbers at all: 0 views against 50,000.
  ({ campaignId } = await creator
    .campaign({
      name: 'Quiet week',
      goal: { type: 'views', metric: 'views', target: 50_000 },
      startDate,
      platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
    })
    .generated());
}, 120_000);
afterAll(() => stack?.dispose());

const behindNotifications = async () =>
  (await api('GET', '/notifications', { token: creator.token })).body.data.filter((n: { type: string }) => n.type === 'campaign.behind');
const behindEvents = () => stack.publishedEvents().filter((event) => event.detailType === 'campaign.behind');

describe('the daily pacing evaluation', () => {
  it('turns a campaign without new numbers behind once, whatever the runs of the day', async () => {
    const read = await api('GET', `/campaigns/${campaignId}/pacing`, { token: creator.token });
    expect(read.body.data).toMatchObject({ status: 'behind', basis: 'views' });
    expect(await behindNotifications()).toEqual([]);

    // Two overlapping runs (the schedule's time has whole seconds: a run a second later finds the
    // marker Finalize wrote): both may evaluate; one event, one notification.
    const now = new Date(Date.now() + 1000);
    const reports = await Promise.all([runPlatformImport(stack, now), runPlatformImport(stack, now)]);
    const pacing = reports.map((report) => (report as unknown as { pacing: { evaluated: number; behind: number } }).pacing);
    expect(
      pacing.reduce((sum, run) => sum + run.evaluated, 0),
      JSON.stringify(pacing),
    ).toBeGreaterThanOrEqual(1);
    const told = await behindNotifications();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ campaignId, data: { metric: 'views', target: 50_000, day: 6, actual: 0 } });
    expect(behindEvents()).toHaveLength(1);

    // The marker now waits for the creator's evening: a run just before it evaluates nothing, one just after evaluates again.
    const evening = Date.parse(nextDailyEvaluation(now, SAMPLE_PROFILE.timeZone, startDate));
    expect(await runPlatformImport(stack, new Date(evening - 1000))).toMatchObject({ pacing: { evaluated: 0 } });
    const later = await runPlatformImport(stack, new Date(evening + 1000));
    expect(later).toMatchObject({ pacing: { evaluated: 1, behind: 1, dropped: 0, failed: 0 } });
    expect(await behindNotifications()).toHaveLength(1);
    expect(behindEvents()).toHaveLength(1);
  });
});
