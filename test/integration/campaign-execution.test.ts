import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestStack } from '../support/local-stack';
import { pollUntil } from '../support/poll';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let token: string;
let campaignId: string;

interface SchedulePost {
  day: number;
  platform: string;
  date: string;
  localTime: string;
  dueAt: string;
  title?: string;
  status: string;
  thumbnailUrl?: string;
}

/** Two weeks in New York across the end of daylight saving time (Sunday 1 November 2026, 02:00 → 01:00). */
const onboarding = {
  name: 'Autumn sprint',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 500, baseline: 1000 },
  durationDays: 14,
  startDate: '2026-10-26',
  platforms: [
    { platform: 'youtube', postsPerWeek: 3 },
    { platform: 'instagram', postsPerWeek: 4 },
  ],
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 0, maxCritiqueRounds: 0 },
};

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack.apiUrl);
  token = await stack.token('runner');
  const profile = { userName: 'Rae', creatorType: 'coach', niche: 'home workouts', targetAudienceNiche: 'busy parents', timeZone: 'America/New_York' };
  expect((await api('POST', '/onboarding', { token, body: profile })).status).toBe(201);
  campaignId = (await api('POST', '/campaigns', { token, body: {} })).body.data.campaignId;
  expect((await api('PATCH', `/campaigns/${campaignId}/onboarding`, { token, body: onboarding })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/complete-onboarding`, { token })).status).toBe(200);
  expect((await api('POST', `/campaigns/${campaignId}/start`, { token })).status).toBe(202);
  const campaign = await pollUntil(
    async () => (await api('GET', `/campaigns/${campaignId}`, { token })).body.data,
    (current) => current.status !== 'generating',
    'generation',
  );
  expect(campaign.status).toBe('in_progress');
}, 90_000);
afterAll(() => stack?.dispose());

const allPosts = async (): Promise<SchedulePost[]> => {
  const res = await api('GET', `/campaigns/${campaignId}/schedule`, { token });
  expect(res.status).toBe(200);
  return res.body.data.days.flatMap((day: { posts: SchedulePost[] }) => day.posts);
};

describe('the schedule', () => {
  it('lists the posts day by day in local time, across the DST change, with thumbnails', async () => {
    const res = await api('GET', `/campaigns/${campaignId}/schedule`, { token });
    expect(res.status).toBe(200);
    const schedule = res.body.data;
    expect(schedule).toMatchObject({ campaignId, timeZone: 'America/New_York', from: '2026-10-26', to: '2026-11-08' });
    const posts: SchedulePost[] = schedule.days.flatMap((day: { posts: SchedulePost[] }) => day.posts);
    expect(posts).toHaveLength(14);
    for (const day of schedule.days) for (const post of day.posts) expect(post.date).toBe(day.date);
    // 17:00 in New York is 21:00 UTC before the change (EDT) and 22:00 UTC after it (EST).
    const youtube = posts.filter((post) => post.platform === 'youtube');
    expect(youtube.every((post) => post.localTime === '17:00')).toBe(true);
    expect(youtube.find((post) => post.date < '2026-11-01')?.dueAt).toMatch(/T21:00:00/);
    expect(youtube.find((post) => post.date > '2026-11-01')?.dueAt).toMatch(/T22:00:00/);
    expect(posts.every((post) => post.status === 'planned' && post.title && post.thumbnailUrl)).toBe(true);
    expect((await fetch(posts[0].thumbnailUrl!)).status).toBe(200);
  });

  it('narrows to local dates', async () => {
    const res = await api('GET', `/campaigns/${campaignId}/schedule?from=2026-11-01&to=2026-11-03`, { token });
    expect(res.status).toBe(200);
    const dates = res.body.data.days.map((day: { date: string }) => day.date);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((date: string) => date >= '2026-11-01' && date <= '2026-11-03')).toBe(true);
  });

  it('rejects a reversed range and an unknown campaign', async () => {
    const reversed = await api('GET', `/campaigns/${campaignId}/schedule?from=2026-11-05&to=2026-11-01`, { token });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details.issues[0].path).toBe('query.from');
    const other = await api('GET', `/campaigns/${crypto.randomUUID()}/schedule`, { token });
    expect(other.body.error.code).toBe('CAMPAIGN_NOT_FOUND');
  });
});

describe('the calendar exports', () => {
  it('.ics parses with ical.js and round-trips every post in the creator’s zone across the DST change', async () => {
    const posts = await allPosts();
    const res = await api('GET', `/campaigns/${campaignId}/schedule.ics`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = res.body as string;
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

    const calendar = new ICAL.Component(ICAL.parse(text));
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    ICAL.TimezoneService.register(zone);
    const events = calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
    expect(events).toHaveLength(posts.length);
    expect(new Set(events.map((event) => event.uid)).size).toBe(posts.length);
    for (const post of posts) {
      const event = events.find((candidate) => candidate.uid === `${campaignId}-${post.day}-${post.platform}@crescendo`);
      expect(event, `${post.day} ${post.platform}`).toBeDefined();
      expect(event!.startDate.zone.tzid).toBe('America/New_York');
      expect(event!.startDate.toJSDate().toISOString()).toBe(new Date(post.dueAt).toISOString());
      const local = `${String(event!.startDate.hour).padStart(2, '0')}:${String(event!.startDate.minute).padStart(2, '0')}`;
      expect(local).toBe(post.localTime);
      expect(event!.description.length).toBeGreaterThan(20);
    }
    // The same post keeps its UID on the next export: calendar apps update it instead of adding a copy.
    const again = (await api('GET', `/campaigns/${campaignId}/schedule.ics`, { token })).body as string;
    expect(again.match(/^UID:.*$/gm)).toEqual(text.match(/^UID:.*$/gm));
  });

  it('.csv has a header and one quoted row per post', async () => {
    const res = await api('GET', `/campaigns/${campaignId}/schedule.csv`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = res.body as string;
    expect(text.startsWith('date,local_time,time_zone,day,platform,format,status,pillar,title,text,due_at_utc\r\n')).toBe(true);
    // Post texts have line breaks and commas: quoted fields, so count records, not lines.
    const records = text.match(/\r\n2026-\d\d-\d\d,/g) ?? [];
    expect(records).toHaveLength(14);
  });
});

describe('confirming posts', () => {
  const confirm = (body: unknown) => api('POST', `/campaigns/${campaignId}/confirm-day`, { token, body });

  it('rejects bad input with stable codes and writes nothing', async () => {
    const [first] = (await allPosts()).filter((post) => post.platform === 'youtube');
    const valid = { day: first.day, platform: 'youtube', posted: true, postedAt: '2026-10-26T21:04:00Z', metrics: { views: 10 } };
    const cases: [unknown, number, string][] = [
      [{ ...valid, day: 15 }, 422, 'DAY_OUTSIDE_CAMPAIGN'],
      [{ ...valid, platform: 'tiktok' }, 422, 'PLATFORM_NOT_IN_CAMPAIGN'],
      [{ ...valid, metrics: { views: -1 } }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, metrics: { likes: 2.5 } }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, postedAt: new Date(Date.now() + 3_600_000).toISOString() }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, posted: false }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, day: first.day + 1 }, 404, 'CONTENT_NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const res = await confirm(body);
      expect([res.status, res.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await allPosts()).every((post) => post.status === 'planned')).toBe(true);
    expect((await api('GET', `/campaigns/${campaignId}/stats`, { token })).body.data.posts.posted).toBe(0);
  });

  it('upserts: a second report replaces the metrics and keeps the history; a skip marks the post skipped', async () => {
    const posts = await allPosts();
    const [first] = posts.filter((post) => post.platform === 'youtube');
    const body = { day: first.day, platform: 'youtube', posted: true, platformPostId: 'yt-1', postedAt: '2026-10-26T21:04:00Z', metrics: { views: 100, likes: 10 } };
    const once = await confirm(body);
    expect(once.status).toBe(200);
    expect(once.body.data).toMatchObject({ status: 'posted', version: 1, metrics: { views: 100, likes: 10 } });
    const twice = await confirm({ ...body, metrics: { views: 250, likes: 31, comments: 4 } });
    expect(twice.body.data).toMatchObject({ version: 2, platformPostId: 'yt-1', metrics: { views: 250, likes: 31, comments: 4 } });
    expect(twice.body.data.history.map((report: { metrics: { views: number } }) => report.metrics.views)).toEqual([100, 250]);

    const instagram = posts.find((post) => post.platform === 'instagram')!;
    expect((await confirm({ day: instagram.day, platform: 'instagram', posted: false })).body.data.status).toBe('skipped');

    const after = await allPosts();
    const statusOf = (post: SchedulePost) => after.find((p) => p.day === post.day && p.platform === post.platform)?.status;
    expect([statusOf(first), statusOf(instagram)]).toEqual(['posted', 'skipped']);
    const stats = (await api('GET', `/campaigns/${campaignId}/stats`, { token })).body.data;
    expect(stats.posts.posted).toBe(1);
    expect(stats.engagement).toMatchObject({ views: 250, likes: 31, comments: 4 });
  });
});
