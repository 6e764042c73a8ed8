import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../shared/core/errors';

/**
 * What the day's pacing evaluation (shared/app/pacing.ts, evaluateDailyPacing) does with each
 * marker due, by the campaign behind it: evaluated and moved, only moved, dropped, or left for the
 * next run. The evaluation itself and its once-per-turn event: test/integration/daily-pacing.test.ts.
 */

const campaigns: Record<string, unknown> = {};
const markers = vi.hoisted(() => [] as { userId: string; campaignId: string; indexSk: string }[]);
vi.mock('../../shared/db/due-posts', () => ({ allShards: () => [0] }));
vi.mock('../../shared/db/pacing-store', () => ({
  pacingEvaluationsDue: vi.fn(async () => markers),
  movePacingEvaluation: vi.fn(async () => true),
  dropPacingEvaluation: vi.fn(async () => undefined),
  recordPacingStatus: vi.fn(async () => true),
}));
vi.mock('../../shared/db/campaign-store', () => ({
  listCampaigns: vi.fn(),
  getCampaignRecord: vi.fn(async (_table: string, _userId: string, campaignId: string) => {
    const campaign = campaigns[campaignId];
    if (campaign instanceof Error) throw campaign;
    if (!campaign) throw new DomainError('CAMPAIGN_NOT_FOUND', `No campaign ${campaignId}`);
    return campaign;
  }),
}));
vi.mock('../../shared/db/execution-store', () => ({ campaignExecutions: vi.fn(async () => []) }));
vi.mock('../../shared/events/emit', () => ({ emitCreatorEvent: vi.fn(async () => undefined) }));

const store = await import('../../shared/db/pacing-store');
const { emitCreatorEvent } = await import('../../shared/events/emit');
const { evaluateDailyPacing } = await import('../../shared/app/pacing');

const running = (goalType: string, status = 'in_progress') => ({
  campaignId: 'x',
  status,
  name: 'Spring',
  goal: { type: goalType, metric: goalType, target: 10_000 },
  startDate: '2027-03-01',
  durationDays: 14,
  platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
  profileSnapshot: { timeZone: 'Europe/Paris' },
});
const now = new Date('2027-03-08T12:00:00Z');

beforeEach(() => {
  vi.clearAllMocks();
  markers.length = 0;
  for (const key of Object.keys(campaigns)) delete campaigns[key];
});

describe('the daily pacing evaluation', () => {
  it('evaluates a running measurable campaign and moves its marker to the evening; a slow week turns it behind', async () => {
    campaigns.views = { ...running('views'), campaignId: 'views' };
    markers.push({ userId: 'u1', campaignId: 'views', indexSk: 'sk' });
    expect(await evaluateDailyPacing({ TABLE_NAME: 't' } as never, now)).toEqual({ evaluated: 1, behind: 1, dropped: 0, failed: 0 });
    expect(emitCreatorEvent).toHaveBeenCalledOnce();
    expect(store.recordPacingStatus).toHaveBeenCalledWith('t', 'u1', 'views', { to: 'behind', behindCount: 1 }, now.toISOString());
    // 22:00 in Paris (UTC+1) on the same day.
    expect(store.movePacingEvaluation).toHaveBeenCalledExactlyOnceWith('t', markers[0], '2027-03-08T21:00:00.000Z');
  });

  it('moves the marker of a campaign still generating or failed, drops those completed, gone or not measurable', async () => {
    Object.assign(campaigns, {
      generating: running('views', 'generating'),
      failed: running('engagement', 'failed'),
      completed: running('views', 'completed'),
      leads: running('leads'),
    });
    markers.push(
      ...['generating', 'failed', 'completed', 'leads', 'gone'].map((campaignId) => ({ userId: 'u1', campaignId, indexSk: 'sk' })),
    );
    expect(await evaluateDailyPacing({ TABLE_NAME: 't' } as never, now)).toEqual({ evaluated: 0, behind: 0, dropped: 3, failed: 0 });
    expect(vi.mocked(store.movePacingEvaluation).mock.calls.map(([, marker]) => marker.campaignId)).toEqual(['generating', 'failed']);
    expect(vi.mocked(store.dropPacingEvaluation).mock.calls.map(([, marker]) => marker.campaignId)).toEqual(['completed', 'leads', 'gone']);
    expect(emitCreatorEvent).not.toHaveBeenCalled();
  });

  it('leaves the marker of a campaign it could not read for the next run, and goes on with the others', async () => {
    campaigns.broken = new Error('throttled');
    campaigns.views = { ...running('views'), campaignId: 'views' };
    markers.push({ userId: 'u1', campaignId: 'broken', indexSk: 'a' }, { userId: 'u1', campaignId: 'views', indexSk: 'b' });
    expect(await evaluateDailyPacing({ TABLE_NAME: 't' } as never, now)).toMatchObject({ evaluated: 1, failed: 1 });
    expect(vi.mocked(store.movePacingEvaluation).mock.calls.map(([, marker]) => marker.campaignId)).toEqual(['views']);
  });
});
