import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notificationText } from '../../shared/domain/events';
import {
  campaignPacing,
  DAILY_EVALUATION_TIME,
  MIN_DAYS_FOR_BEHIND,
  nextDailyEvaluation,
  projectFinal,
  type PacingInput,
} from '../../shared/domain/pacing';
import { addDays, localDateTime } from '../../shared/domain/schedule';
import type { PostExecution } from '../../shared/schemas/execution';
import type { FollowerCount } from '../../shared/schemas/followers';

const start = '2027-03-01';
const posted = (day: number, metrics: PostExecution['metrics'], platform: PostExecution['platform'] = 'youtube') => ({
  day,
  platform,
  posted: true,
  metrics,
});
const input = (overrides: Partial<PacingInput>): PacingInput => ({
  goal: { type: 'views', metric: 'views', target: 1000 },
  startDate: start,
  durationDays: 10,
  today: addDays(start, 4),
  platforms: ['youtube', 'instagram'],
  executions: [],
  ...overrides,
});
const count = (platform: FollowerCount['platform'], date: string, value: number): FollowerCount => ({
  platform,
  date,
  count: value,
  source: 'manual',
  recordedAt: `${date}T12:00:00.000Z`,
});

describe('goal pacing', () => {
  it('views: the running total per day and the final projected from the mean daily gain', () => {
    const pacing = campaignPacing(
      input({ executions: [posted(1, { views: 100 }), posted(2, { views: 140 }), posted(3, { views: 60 }), posted(5, { views: 100 })] }),
    );
    expect(pacing.basis).toBe('views');
    expect(pacing.days.map((day) => day.actual)).toEqual([100, 240, 300, 300, 400]);
    expect(pacing.days.map((day) => day.date)).toEqual(['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05']);
    // Day 5: mean gain 80 over 5 days, 5 days left.
    const today = pacing.days.at(-1)!;
    expect(today.projected.final).toBe(800);
    expect(today.projected.low).toBeLessThan(800);
    expect(today.projected.high).toBeGreaterThan(800);
    expect(pacing.status).toBe(today.status);
  });

  it('statuses: behind when even the top of the interval misses the target, ahead when even its bottom reaches it', () => {
    const steady = (views: number) => Array.from({ length: 5 }, (_, i) => posted(i + 1, { views: views + (i % 2) * 10 }));
    // 80, 90, 80, 90, 80: 84 a day, 840 projected, the interval's top about 866.
    expect(campaignPacing(input({ executions: steady(80) })).status).toBe('behind');
    expect(campaignPacing(input({ executions: steady(200) })).status).toBe('ahead');
    // 104 a day: 1040 projected, 1013 to 1067.
    expect(campaignPacing(input({ executions: steady(100), goal: { type: 'views', metric: 'views', target: 1050 } })).status).toBe(
      'on_track',
    );
    const noisy = [
      posted(1, { views: 10 }),
      posted(2, { views: 400 }),
      posted(3, { views: 30 }),
      posted(4, { views: 0 }),
      posted(5, { views: 120 }),
    ];
    expect(campaignPacing(input({ executions: noisy })).status).toBe('on_track');
  });

  it(`is never behind before ${MIN_DAYS_FOR_BEHIND} days are observed`, () => {
    const pacing = campaignPacing(input({ executions: [posted(1, { views: 1 }), posted(2, { views: 1 })] }));
    expect(pacing.days.slice(0, MIN_DAYS_FOR_BEHIND - 1).map((day) => day.status)).toEqual(['on_track', 'on_track']);
    expect(pacing.days[MIN_DAYS_FOR_BEHIND - 1]!.status).toBe('behind');
  });

  it('engagement: likes + comments + shares + saves; skipped posts and other days count nothing', () => {
    const pacing = campaignPacing(
      input({
        goal: { type: 'engagement', metric: 'interactions', target: 50 },
        executions: [
          posted(1, { likes: 5, comments: 2, shares: 1, saves: 2, views: 900 }),
          { day: 2, posted: false, metrics: undefined },
          posted(3, { likes: 10 }, 'instagram'),
          posted(8, { likes: 99 }),
        ],
      }),
    );
    expect(pacing.basis).toBe('engagement');
    expect(pacing.days.map((day) => day.actual)).toEqual([10, 10, 20, 20, 20]);
  });

  it('followers without counts: the baseline plus the followers the posts gained', () => {
    const pacing = campaignPacing(
      input({
        goal: { type: 'followers', metric: 'subscribers', target: 1100, baseline: 1000 },
        executions: [posted(1, { followersGained: 10 }), posted(2, { followersGained: 20 }), posted(4, { followersGained: 6 })],
      }),
    );
    expect(pacing.basis).toBe('followersGained');
    expect(pacing.days.map((day) => day.actual)).toEqual([1010, 1030, 1030, 1036, 1036]);
    expect(pacing.days.at(-1)!.projected.final).toBe(1072);
  });

  it('followers with counts: the growth of the campaign platforms counts, spread over the days between two counts', () => {
    const pacing = campaignPacing(
      input({
        goal: { type: 'followers', metric: 'followers', target: 1300, baseline: 1000 },
        followerCounts: [
          count('youtube', '2027-02-27', 600),
          count('youtube', '2027-03-03', 640),
          count('instagram', '2027-03-01', 400),
          count('instagram', '2027-03-05', 440),
          count('tiktok', '2027-03-04', 99_999),
        ],
        executions: [posted(1, { followersGained: 500 })],
      }),
    );
    expect(pacing.basis).toBe('followerCounts');
    // Day 3: youtube +40 (its count of the 3rd), instagram nothing new yet; day 5: +40 +40.
    expect(pacing.days.map((day) => day.actual)).toEqual([1000, 1000, 1040, 1040, 1080]);
    // Day 5: both platforms observed to day 3 (youtube's last count): +40 +20 interpolated over 2 days = 30 a day.
    expect(pacing.days.at(-1)!.projected.final).toBe(1060 + 7 * 30);
  });

  it.each([
    ['leads', /lead/],
    ['sales', /sales/],
    ['launch', /launch goal/],
  ] as const)('%s goals are not measurable, with the reason', (type, reason) => {
    const pacing = campaignPacing(input({ goal: { type, metric: 'sign-ups', target: 10 }, executions: [posted(1, { clicks: 50 })] }));
    expect(pacing).toMatchObject({ status: 'not_measurable', days: [] });
    expect(pacing.reason).toMatch(reason);
  });

  it('before the first day nothing is reported, and after the last the days stop at the campaign end', () => {
    expect(campaignPacing(input({ today: '2027-02-20' }))).toMatchObject({ status: 'on_track', days: [] });
    const ended = campaignPacing(input({ today: '2027-06-01', executions: [posted(10, { views: 1200 })] }));
    expect(ended.days).toHaveLength(10);
    expect(ended.days.at(-1)!).toMatchObject({ actual: 1200, projected: { final: 1200, low: 1200, high: 1200 }, status: 'ahead' });
  });

  it('properties: low ≤ final ≤ high, the low end never under the value so far, and the actual value never falls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 3_000_000 }),
        (views, extraDays, target) => {
          const pacing = campaignPacing(
            input({
              goal: { type: 'views', metric: 'views', target },
              durationDays: views.length + extraDays,
              today: addDays(start, views.length - 1),
              executions: views.map((value, i) => posted(i + 1, { views: value })),
            }),
          );
          expect(pacing.days).toHaveLength(Math.min(views.length, views.length + extraDays));
          let previous = 0;
          for (const day of pacing.days) {
            expect(day.projected.low).toBeLessThanOrEqual(day.projected.final);
            expect(day.projected.final).toBeLessThanOrEqual(day.projected.high);
            expect(day.projected.low).toBeGreaterThanOrEqual(day.actual - 0.1);
            expect(day.actual).toBeGreaterThanOrEqual(previous);
            previous = day.actual;
            if (day.status === 'behind') expect(day.projected.high).toBeLessThan(target);
            if (day.status === 'ahead') expect(day.projected.low).toBeGreaterThanOrEqual(target);
          }
        },
      ),
    );
  });

  it('property: follower counts on any dates give finite values and low ≤ final ≤ high', () => {
    const entry = fc.record({
      platform: fc.constantFrom('youtube' as const, 'instagram' as const),
      offset: fc.integer({ min: -10, max: 12 }),
      count: fc.integer({ min: 0, max: 100_000 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        const counts = entries.map((e, i) => ({
          ...count(e.platform, addDays(start, e.offset), e.count),
          recordedAt: `2027-04-01T00:00:${String(i).padStart(2, '0')}.000Z`,
        }));
        const newest = new Map(counts.map((c) => [`${c.platform}#${c.date}`, c]));
        const pacing = campaignPacing(
          input({
            goal: { type: 'followers', metric: 'followers', target: 50_000 },
            today: addDays(start, 9),
            followerCounts: [...newest.values()],
          }),
        );
        expect(pacing.basis).toBe('followerCounts');
        expect(pacing.days).toHaveLength(10);
        for (const day of pacing.days) {
          for (const value of [day.actual, day.projected.low, day.projected.final, day.projected.high])
            expect(Number.isFinite(value)).toBe(true);
          expect(day.projected.low).toBeLessThanOrEqual(day.projected.final);
          expect(day.projected.final).toBeLessThanOrEqual(day.projected.high);
        }
      }),
    );
  });

  it('the interval narrows as days are observed and widens with the days left', () => {
    const width = (days: number, daysLeft: number) => {
      const gains = Array.from({ length: days }, (_, i) => 100 + (i % 3) * 20);
      const projected = projectFinal({ value: 0, gains, daysLeft }, true);
      return projected.high - projected.low;
    };
    expect(width(10, 10)).toBeLessThan(width(4, 10));
    expect(width(10, 20)).toBeGreaterThan(width(10, 10));
    expect(width(10, 0)).toBe(0);
  });

  it('the campaign.behind notification says where the goal is heading against its target', () => {
    expect(
      notificationText('campaign.behind', {
        campaignName: 'Spring',
        metric: 'YouTube subscribers',
        target: 5000,
        projected: { final: 1200, low: 1100, high: 1400 },
      }),
    ).toEqual({
      title: 'Your campaign is behind its goal',
      message:
        'Spring: YouTube subscribers is on course for 1200 (at most 1400 in 9 cases of 10) against a target of 5000. A re-plan of the remaining posts is proposed: price it, then start it.',
    });
  });

  it('the campaign.replanned notification says what the re-plan did, or that it failed and the posts keep their slots', () => {
    expect(notificationText('campaign.replanned', { campaignName: 'Spring', n: 2, status: 'succeeded', changed: 9 })).toEqual({
      title: 'Your campaign is re-planned',
      message: 'Spring: re-plan 2 rewrote 9 posts from what has performed; posted, approved and edited posts are as they were.',
    });
    expect(notificationText('campaign.replanned', { campaignName: 'Spring', n: 2, status: 'failed', message: 'week 3 failed' })).toEqual({
      title: 'A re-plan failed',
      message: 'Spring: re-plan 2 failed (week 3 failed); its posts keep their slots. You can start another.',
    });
  });
});

describe('the daily evaluation', () => {
  it("is at the creator's local evening: later today, else tomorrow, never before the first day; across DST", () => {
    const zone = 'America/New_York';
    expect(nextDailyEvaluation(new Date('2027-03-02T12:00:00Z'), zone, '2027-03-01')).toBe('2027-03-03T03:00:00.000Z');
    expect(nextDailyEvaluation(new Date('2027-03-03T03:00:00Z'), zone, '2027-03-01')).toBe('2027-03-04T03:00:00.000Z');
    expect(nextDailyEvaluation(new Date('2027-02-20T12:00:00Z'), zone, '2027-03-01')).toBe('2027-03-02T03:00:00.000Z');
    // Clocks go forward on 2027-03-14: 22:00 is then UTC−4.
    expect(nextDailyEvaluation(new Date('2027-03-14T12:00:00Z'), zone, '2027-03-01')).toBe('2027-03-15T02:00:00.000Z');
    expect(nextDailyEvaluation(new Date('2027-03-02T23:30:00Z'), 'Asia/Tokyo', '2027-03-01')).toBe('2027-03-03T13:00:00.000Z');
  });

  it('property: the next evaluation is after now, within a day of it (from the first day on), at the local evening time', () => {
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Auckland', 'America/Los_Angeles'];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2026-01-01'), max: Date.parse('2028-12-31') }), fc.constantFrom(...zones), (ms, zone) => {
        const now = new Date(ms);
        const next = new Date(nextDailyEvaluation(now, zone, '2025-12-01'));
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
        expect(localDateTime(next, zone).time).toBe(DAILY_EVALUATION_TIME);
      }),
    );
  });
});
