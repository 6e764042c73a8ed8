import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The metrics paths that adapt a campaign's hook styles (shared/app/hook-experiment.ts) and
 * evaluate its pacing (shared/app/pacing.ts), through their one after-new-numbers step: the CSV
 * import and the hourly platform import do both once per campaign that received numbers, and
 * neither when none arrived. confirm-day is covered end to end (test/integration/hook-styles.test.ts).
 */

const adaptHookStyles = vi.fn(async () => []);
vi.mock('../../shared/app/hook-experiment', () => ({ adaptHookStyles }));
const evaluatePacing = vi.fn(async () => undefined);
const evaluateDailyPacing = vi.fn(async () => ({ evaluated: 0, behind: 0, dropped: 0, failed: 0 }));
vi.mock('../../shared/app/pacing', () => ({ evaluatePacing, evaluateDailyPacing, followersGoalCampaigns: vi.fn(async () => []) }));
vi.mock('../../shared/db/execution-store', () => ({
  readRunningCampaign: vi.fn(async () => ({
    campaignId: 'c1',
    status: 'in_progress',
    startDate: '2026-11-02',
    durationDays: 7,
    platforms: [{ platform: 'x', postsPerWeek: 7 }],
    timeZone: 'UTC',
  })),
  scheduledContent: vi.fn(async () => [{ day: 1, platform: 'x', date: '2026-11-02' }]),
  campaignExecutions: vi.fn(async () => [
    { day: 1, platform: 'x', posted: true, status: 'posted', platformPostId: 'p1', postedAt: '2026-11-02T18:00:00.000Z' },
  ]),
  appendMetricsReports: vi.fn(async () => undefined),
}));
const due = [1, 2].map((day) => ({
  userId: 'u1',
  campaignId: day === 1 ? 'c1' : 'c2',
  day,
  platform: 'x',
  platformPostId: `p${day}`,
  postedAt: '2026-11-02T18:00:00.000Z',
  checkpoints: [],
  indexSk: `sk${day}`,
}));
vi.mock('../../shared/db/platform-import-store', () => ({
  postsWithDueMetrics: vi.fn(async (_table: string, shard: number) => (shard === 0 ? due : [])),
  recordCheckpoint: vi.fn(async () => true),
  connectionsWithDueFollowers: vi.fn(async () => []),
  moveFollowerRead: vi.fn(async () => undefined),
}));
const metricsByPost = vi.fn(() => new Map([['p1', { likes: 4 }]]));
vi.mock('../../shared/app/connections', () => ({ withConnection: vi.fn(async () => metricsByPost()) }));

const { importCampaignMetrics } = await import('../../shared/app/import-metrics');
const { importFromPlatforms } = await import('../../shared/app/platform-import');

beforeEach(() => {
  adaptHookStyles.mockClear();
  evaluatePacing.mockClear();
});

describe('the metrics paths adapt the hook styles and evaluate the pacing', () => {
  it('the CSV import, after its matched rows are stored; not when no row matched', async () => {
    const config = { TABLE_NAME: 't' } as never;
    await importCampaignMetrics(config, 'u1', 'c1', 'platform,date,platformPostId,views,likes\nx,,p1,100,5', '2026-11-03T10:00:00.000Z');
    expect(adaptHookStyles).toHaveBeenCalledExactlyOnceWith('t', 'u1', 'c1', '2026-11-03T10:00:00.000Z');
    expect(evaluatePacing).toHaveBeenCalledExactlyOnceWith(config, 'u1', 'c1', new Date('2026-11-03T10:00:00.000Z'));
    adaptHookStyles.mockClear();
    evaluatePacing.mockClear();
    await importCampaignMetrics(config, 'u1', 'c1', 'platform,date,platformPostId,views,likes\nx,,p9,100,5', '2026-11-03T10:00:00.000Z');
    expect(adaptHookStyles).not.toHaveBeenCalled();
    expect(evaluatePacing).not.toHaveBeenCalled();
  });

  it('the platform import, once per campaign whose posts received numbers', async () => {
    const now = new Date('2026-11-02T19:30:00.000Z');
    const config = { TABLE_NAME: 't' } as never;
    const report = await importFromPlatforms(config, now);
    expect(report).toMatchObject({ due: 2, imported: 1, passed: 1 });
    expect(adaptHookStyles).toHaveBeenCalledExactlyOnceWith('t', 'u1', 'c1', now.toISOString());
    expect(evaluatePacing).toHaveBeenCalledExactlyOnceWith(config, 'u1', 'c1', now);
    // and ends with the day's pacing evaluation of the campaigns whose numbers did not arrive.
    expect(evaluateDailyPacing).toHaveBeenCalledExactlyOnceWith(config, now);
  });
});
