import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSchedule,
  planSummary,
  platformDefaults,
  postingOffsets,
  zonedTimeToUtc,
  type ScheduleRequest,
} from '../../shared/domain/schedule';
import { platformSchema, type Platform } from '../../shared/schemas/common';

const oracles = new Map<string, Intl.DateTimeFormat>();

/** Independent oracle: the local date and time of an instant, straight from Intl. */
function localOf(instant: string, timeZone: string) {
  if (!oracles.has(timeZone)) {
    const options = {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    } as const;
    oracles.set(timeZone, new Intl.DateTimeFormat('en-US', options));
  }
  const parts = oracles.get(timeZone)!.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return { date: `${part('year')}-${part('month')}-${part('day')}`, localTime: `${part('hour')}:${part('minute')}` };
}

const at = (request: ScheduleRequest, day: number, platform: Platform) =>
  buildSchedule(request).find((post) => post.day === day && post.platform === platform);

describe('posting days', () => {
  it('spreads k posts over a week at round(i·7/k)', () => {
    expect(postingOffsets(1, 7)).toEqual([0]);
    expect(postingOffsets(2, 7)).toEqual([0, 4]);
    expect(postingOffsets(3, 7)).toEqual([0, 2, 5]);
    expect(postingOffsets(5, 7)).toEqual([0, 1, 3, 4, 6]);
    expect(postingOffsets(7, 7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('keeps the gaps between posting days within one day of each other', () => {
    for (let k = 1; k <= 7; k++) {
      const offsets = postingOffsets(k, 7);
      const gaps = offsets.map((offset, i) => (offsets[i + 1] ?? offsets[0] + 7) - offset);
      expect(Math.max(...gaps) - Math.min(...gaps), `k=${k}`).toBeLessThanOrEqual(1);
    }
  });

  it('caps 8 to 14 posts a week at one a day: an item is one day × platform', () => {
    for (const k of [8, 10, 14]) expect(postingOffsets(k, 7)).toEqual(postingOffsets(7, 7));
  });

  it('pro-rates a partial last week', () => {
    expect(postingOffsets(3, 3)).toEqual([0]); // 3 × 3/7 ≈ 1.3
    expect(postingOffsets(5, 3)).toEqual([0, 2]); // ≈ 2.1
    expect(postingOffsets(1, 3)).toEqual([]); // ≈ 0.4
    expect(postingOffsets(7, 3)).toEqual([0, 1, 2]);
  });
});

describe('the campaign calendar', () => {
  const paris: ScheduleRequest = {
    durationDays: 14,
    startDate: '2026-03-23',
    platforms: [
      { platform: 'youtube', postsPerWeek: 3 },
      { platform: 'instagram', postsPerWeek: 5 },
      { platform: 'x', postsPerWeek: 10 },
    ],
    timeZone: 'Europe/Paris',
  };

  it('plans each platform on its days, with platform-default local times and formats', () => {
    const posts = buildSchedule(paris);
    expect(posts).toHaveLength(6 + 10 + 14);
    expect(posts.filter((p) => p.platform === 'youtube').map((p) => p.day)).toEqual([1, 3, 6, 8, 10, 13]);
    expect(posts[0]).toEqual({
      day: 1,
      date: '2026-03-23',
      platform: 'youtube',
      localTime: '17:00',
      timeSource: 'platform-default',
      format: 'video',
      dueAt: '2026-03-23T16:00:00.000Z',
    });
    expect(posts.map((p) => p.day)).toEqual([...posts.map((p) => p.day)].sort((a, b) => a - b));
    expect(planSummary(posts)).toEqual({ posts: 30, perPlatform: { youtube: 6, instagram: 10, x: 14 }, timesSource: 'platform-default' });
  });

  it('moves dueAt with the clocks: Europe/Paris springs forward on the last Sunday of March', () => {
    expect(at(paris, 6, 'x')).toMatchObject({ date: '2026-03-28', localTime: '09:00', dueAt: '2026-03-28T08:00:00.000Z' }); // CET
    expect(at(paris, 7, 'x')).toMatchObject({ date: '2026-03-29', localTime: '09:00', dueAt: '2026-03-29T07:00:00.000Z' }); // CEST
  });

  it('America/New_York falls back on the first Sunday of November', () => {
    const newYork: ScheduleRequest = {
      durationDays: 7,
      startDate: '2026-10-30',
      platforms: [{ platform: 'linkedin', postsPerWeek: 7 }],
      timeZone: 'America/New_York',
    };
    expect(at(newYork, 2, 'linkedin')).toMatchObject({ date: '2026-10-31', localTime: '08:30', dueAt: '2026-10-31T12:30:00.000Z' }); // EDT
    expect(at(newYork, 3, 'linkedin')).toMatchObject({ date: '2026-11-01', localTime: '08:30', dueAt: '2026-11-01T13:30:00.000Z' }); // EST
  });

  it('has a default time and format for every platform', () => {
    for (const platform of platformSchema.options) expect(platformDefaults[platform].localTime).toMatch(/^\d\d:\d\d$/);
  });
});

describe('local time → UTC', () => {
  it('takes the earlier instant of a time that happens twice (clocks set back)', () => {
    expect(zonedTimeToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // EDT
    expect(zonedTimeToUtc('2026-04-05', '01:45', 'Australia/Lord_Howe').toISOString()).toBe('2026-04-04T14:45:00.000Z'); // +11 of +11/+10:30
  });

  it('moves a time that never happens (clocks set forward) forward by the gap', () => {
    expect(zonedTimeToUtc('2026-03-29', '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    // Samoa skipped 30 December 2011 when it crossed the date line.
    expect(zonedTimeToUtc('2011-12-30', '10:00', 'Pacific/Apia').toISOString()).toBe('2011-12-30T20:00:00.000Z'); // = 31 Dec 10:00
  });

  it('handles zones with fractional offsets and UTC itself', () => {
    expect(zonedTimeToUtc('2026-01-01', '10:00', 'Asia/Kolkata').toISOString()).toBe('2026-01-01T04:30:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', '10:00', 'Asia/Kathmandu').toISOString()).toBe('2026-07-01T04:15:00.000Z');
    expect(zonedTimeToUtc('2026-07-01', '10:00', 'UTC').toISOString()).toBe('2026-07-01T10:00:00.000Z');
  });
});

describe('property: any campaign', () => {
  // Zones with DST in either hemisphere, half-hour DST, fractional offsets and none; all change
  // their clocks at night, so the platform-default times always exist.
  const timeZones = [
    'UTC',
    'Europe/Paris',
    'Europe/London',
    'America/New_York',
    'America/Los_Angeles',
    'America/St_Johns',
    'America/Santiago',
    'America/Sao_Paulo',
    'Australia/Lord_Howe',
    'Pacific/Auckland',
    'Pacific/Chatham',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'Africa/Casablanca',
  ];
  const request = fc.record({
    durationDays: fc.integer({ min: 1, max: 90 }),
    startDate: fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10)),
    platforms: fc.uniqueArray(
      fc.record({ platform: fc.constantFrom(...platformSchema.options), postsPerWeek: fc.integer({ min: 1, max: 14 }) }),
      { minLength: 1, maxLength: 8, selector: (plan) => plan.platform },
    ),
    timeZone: fc.constantFrom(...timeZones),
  });

  it('plans the pro-rated count per platform, one post per day and platform, and every dueAt is its local date and time', () => {
    fc.assert(
      fc.property(request, (req) => {
        const posts = buildSchedule(req);
        const fullWeeks = Math.floor(req.durationDays / 7);
        const rest = req.durationDays % 7;
        for (const { platform, postsPerWeek } of req.platforms) {
          const perWeek = Math.min(postsPerWeek, 7);
          const mine = posts.filter((post) => post.platform === platform);
          expect(mine).toHaveLength(fullWeeks * perWeek + Math.round((perWeek * rest) / 7));
          expect(new Set(mine.map((post) => post.day)).size).toBe(mine.length);
        }
        const start = Date.parse(`${req.startDate}T00:00:00Z`);
        for (const post of posts) {
          expect(post.day).toBeGreaterThanOrEqual(1);
          expect(post.day).toBeLessThanOrEqual(req.durationDays);
          expect(post.date).toBe(new Date(start + (post.day - 1) * 86_400_000).toISOString().slice(0, 10));
          expect(localOf(post.dueAt, req.timeZone)).toEqual({ date: post.date, localTime: post.localTime });
        }
      }),
      { numRuns: 300 },
    );
  });
});
