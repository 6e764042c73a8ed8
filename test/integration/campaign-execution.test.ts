import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { verifyWebhookSignature } from '../../shared/domain/webhooks';
import { campaignOnboarding, startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';
import { webhookReceiver } from '../support/webhook-receiver';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let runner: Creator;
let token: string;
let campaignId: string;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

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
const onboarding = campaignOnboarding({
  name: 'Autumn sprint',
  goal: { type: 'followers', metric: 'YouTube subscribers', target: 1100, baseline: 1000 },
  durationDays: 14,
  startDate: '2026-10-26',
  platforms: [
    { platform: 'youtube', postsPerWeek: 3 },
    { platform: 'instagram', postsPerWeek: 4 },
  ],
  agentConfig: { tone: 'warm', language: 'en', critiqueBar: 0, maxCritiqueRounds: 0 },
});

beforeAll(async () => {
  [fixtures, receiver] = await Promise.all([startFixtures(), webhookReceiver(204)]);
  ({ stack, api } = fixtures);
  runner = await fixtures.creator('runner', {
    profile: {
      userName: 'Rae',
      creatorType: 'coach',
      niche: 'home workouts',
      targetAudienceNiche: 'busy parents',
      timeZone: 'America/New_York',
    },
  });
  token = runner.token;
  ({ campaignId } = await runner.campaign(onboarding).generated());
}, 90_000);
afterAll(() => Promise.all([stack?.dispose(), receiver?.close()]));

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

  it('refuses control and bidi characters in request text (400 naming the field), and writes none stored before raw into the exports', async () => {
    const named = await api('POST', '/campaigns', { token, body: { name: 'Launch\u0000\u202Egnp.exe' } });
    expect(named.status).toBe(400);
    expect(named.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'body.name' }] } });
    const draft = (await api('POST', '/campaigns', { token, body: {} })).body.data.campaignId;
    const metric = await api('PATCH', `/campaigns/${draft}/onboarding`, {
      token,
      body: { goal: { ...onboarding.goal, metric: 'subs\u2066' } },
    });
    expect(metric.status).toBe(400);
    expect(metric.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['body.goal.metric']);
    expect((await api('DELETE', `/campaigns/${draft}`, { token })).status).toBe(204);

    // A name and a post title stored before the check (written straight into the table).
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.campaign('runner', campaignId),
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': 'Autumn\u0000\u202Esprint' },
      }),
    );
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.content('runner', campaignId, 1, 'youtube'),
        UpdateExpression: 'SET title = :t',
        ExpressionAttributeValues: { ':t': 'Day one\u0000\u0007' },
      }),
    );
    const ics = (await api('GET', `/campaigns/${campaignId}/schedule.ics`, { token })).body as string;
    expect(ics).toContain('X-WR-CALNAME:Autumn\uFFFD\uFFFDsprint\r\n');
    expect(ics).toContain('Day one\uFFFD\uFFFD');
    expect(ics).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/u);
    expect(() => ICAL.parse(ics)).not.toThrow();
    const csv = (await api('GET', `/campaigns/${campaignId}/schedule.csv`, { token })).body as string;
    expect(csv).toContain('Day one\uFFFD\uFFFD');
    expect(csv).not.toMatch(/\u0000/);
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keys.campaign('runner', campaignId),
        UpdateExpression: 'SET #n = :n',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':n': onboarding.name },
      }),
    );
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
    const body = {
      day: first.day,
      platform: 'youtube',
      posted: true,
      platformPostId: 'yt-1',
      postedAt: '2026-10-26T21:04:00Z',
      metrics: { views: 100, likes: 10 },
    };
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

describe('completing the campaign and learning from it', () => {
  const confirm = (body: unknown) => api('POST', `/campaigns/${campaignId}/confirm-day`, { token, body });
  /** The rest of the YouTube posts: two more at 17:xx New York time, three at 07:xx that engage far more. */
  const reports = [
    { day: 3, postedAt: '2026-10-28T21:10:00Z', metrics: { views: 300, likes: 20, followersGained: 10 } },
    { day: 6, postedAt: '2026-10-31T21:20:00Z', metrics: { views: 200, likes: 15, followersGained: 5 } },
    { day: 8, postedAt: '2026-11-02T12:05:00Z', metrics: { views: 900, likes: 100, followersGained: 30 } },
    { day: 10, postedAt: '2026-11-04T12:15:00Z', metrics: { views: 1000, likes: 120, followersGained: 40 } },
    { day: 13, postedAt: '2026-11-07T12:30:00Z', metrics: { views: 800, likes: 90, followersGained: 25 } },
  ];

  it('refuses lessons before completion and a completion of a campaign that is not running', async () => {
    const early = await api('GET', `/campaigns/${campaignId}/lessons-learned`, { token });
    expect([early.status, early.body.error.code]).toEqual([409, 'LESSONS_NOT_READY']);
    const approveEarly = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token });
    expect(approveEarly.body.error.code).toBe('LESSONS_NOT_READY');
    const shell = (await api('POST', '/campaigns', { token, body: {} })).body.data.campaignId;
    const notRunning = await api('POST', `/campaigns/${shell}/complete`, { token });
    expect([notRunning.status, notRunning.body.error.code]).toEqual([409, 'CAMPAIGN_STATE_CONFLICT']);
    // A campaign without a plan has no schedule, no export and nothing to confirm.
    for (const path of ['schedule', 'schedule.ics', 'schedule.csv']) {
      const res = await api('GET', `/campaigns/${shell}/${path}`, { token });
      expect([res.status, res.body.error?.code], path).toEqual([409, 'CAMPAIGN_STATE_CONFLICT']);
    }
    const unplanned = await api('POST', `/campaigns/${shell}/confirm-day`, { token, body: { day: 1, platform: 'youtube', posted: false } });
    expect(unplanned.body.error.code).toBe('CAMPAIGN_STATE_CONFLICT');
    expect((await api('GET', '/campaigns/not-a-uuid/schedule.ics', { token })).status).toBe(400);
    expect((await api('GET', `/campaigns/${crypto.randomUUID()}/schedule.csv`, { token })).body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await api('GET', `/campaigns/${crypto.randomUUID()}/lessons-learned`, { token })).body.error.code).toBe('CAMPAIGN_NOT_FOUND');
    const insights = await api('GET', '/profile/insights', { token });
    expect(insights.body.data).toMatchObject({ postingTimes: [], campaigns: 0 });
  });

  it('completes as a job and writes the outcome report with the confirmed numbers', async () => {
    for (const report of reports) expect((await confirm({ platform: 'youtube', posted: true, ...report })).status).toBe(200);
    const hook = await api('POST', '/webhooks', { token, body: { url: receiver.url, eventTypes: ['campaign.completed'] } });
    expect(hook.status).toBe(201);
    const started = await api('POST', `/campaigns/${campaignId}/complete`, { token, headers: { 'idempotency-key': 'complete-1' } });
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({ kind: 'complete', status: 'queued', target: { campaignId } });
    const job = await pollUntil(
      async () => (await api('GET', `/jobs/${started.body.data.jobId}`, { token })).body.data,
      (current) => ['succeeded', 'failed'].includes(current.status),
      'the completion job',
    );
    expect(job).toMatchObject({ status: 'succeeded', progress: { step: 'done', percent: 100 } });

    const campaign = (await api('GET', `/campaigns/${campaignId}`, { token })).body.data;
    expect(campaign.status).toBe('completed');
    const outcome = campaign.outputs.outcome;
    expect(outcome.goal).toMatchObject({
      basis: 'followersGained',
      achieved: 110,
      target: 1100,
      baseline: 1000,
      reached: 1110,
      progressPercent: 110,
      met: true,
    });
    expect(outcome.posts).toEqual({ planned: 14, posted: 6, skipped: 1, unconfirmed: 7 });
    expect(outcome.totals).toMatchObject({ views: 3450, likes: 376, comments: 4, followersGained: 110, engagement: 380 });
    expect(outcome.bestPosts[0]).toMatchObject({ day: 10, platform: 'youtube', engagement: 120 });
    expect(outcome.worstPosts[0]).toMatchObject({ day: 6, engagement: 15 });
    expect(outcome.perPlatform.find((group: { platform: string }) => group.platform === 'instagram')).toMatchObject({
      planned: 8,
      posted: 0,
      skipped: 1,
    });
    // 07:15 on Wednesday 4 November in New York (EST, after the change).
    expect(outcome.bestPostingTimes).toEqual([{ platform: 'youtube', weekday: 3, hour: 7, posts: 1, engagement: 120 }]);
    expect(outcome.summary).toMatch(/110/);

    const notices = (await api('GET', '/notifications', { token })).body.data.filter(
      (n: { type: string }) => n.type === 'campaign.completed',
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      campaignId,
      title: 'Campaign completed',
      data: { campaignName: 'Autumn sprint', goal: { achieved: 110, met: true } },
    });
    const published = stack.publishedEvents().filter((event) => event.detailType === 'campaign.completed');
    expect(published).toHaveLength(1);
    expect(published[0].detail).toMatchObject({ id: notices[0].notificationId, campaignId, type: 'campaign.completed' });
    await pollUntil(
      async () => receiver.requests.length,
      (count) => count > 0,
      'the campaign.completed webhook',
    );
    const [delivery] = receiver.requests;
    expect(verifyWebhookSignature(hook.body.data.secret, delivery.body, delivery.headers['crescendo-signature'] as string)).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({
      id: notices[0].notificationId,
      type: 'campaign.completed',
      campaignId,
      data: { goal: { achieved: 110 } },
    });

    const late = await confirm({ day: 1, platform: 'youtube', posted: true, metrics: { views: 999 } });
    expect([late.status, late.body.error.code]).toEqual([409, 'CAMPAIGN_STATE_CONFLICT']);
    const again = await api('POST', `/campaigns/${campaignId}/complete`, { token });
    expect(again.body.error.code).toBe('CAMPAIGN_STATE_CONFLICT');
  });

  it('exposes the best posting time once there are enough confirmed posts', async () => {
    const { data } = (await api('GET', '/profile/insights', { token })).body;
    expect(data.campaigns).toBe(1);
    expect(data.postingTimes.find((insight: { platform: string }) => insight.platform === 'youtube')).toMatchObject({
      posts: 6,
      enough: true,
      bestHour: 7,
      avgEngagementAtBest: 103.3,
    });
  });

  it('approves the edited lessons with a version check and writes the learning memories', async () => {
    const draft = await api('GET', `/campaigns/${campaignId}/lessons-learned`, { token });
    expect(draft.status).toBe(200);
    expect(draft.body.data).toMatchObject({ state: 'draft', version: 1, model: 'offline' });
    expect(draft.body.data.whatWorked.some((lesson: { evidence?: string }) => /interactions/.test(lesson.evidence ?? ''))).toBe(true);

    const edit = {
      recommendations: [
        { text: 'Film every YouTube video with the workout timer on screen.', platform: 'youtube' },
        ...draft.body.data.recommendations,
      ],
    };
    const approved = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token, body: edit });
    expect(approved.status).toBe(200);
    expect(approved.body.data).toMatchObject({ state: 'approved', version: 2 });
    expect(approved.body.data.memories).toEqual([`MEM#followers#youtube#${campaignId}`, `MEM#followers#instagram#${campaignId}`]);
    expect((await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token, body: edit })).body.data.version).toBe(2);

    const changed = { summary: 'Mornings won.' };
    const unversioned = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token, body: changed });
    expect([unversioned.status, unversioned.body.error.code]).toEqual([428, 'PRECONDITION_REQUIRED']);
    const stale = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token, body: changed, headers: { 'if-match': '"1"' } });
    expect([stale.status, stale.body.error.code]).toEqual([412, 'PRECONDITION_FAILED']);
    const invalid = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, { token, body: { whatWorked: [{ text: '' }] } });
    expect(invalid.status).toBe(400);
    const updated = await api('PATCH', `/campaigns/${campaignId}/approve-lessons`, {
      token,
      body: changed,
      headers: { 'if-match': '"2"' },
    });
    expect(updated.body.data).toMatchObject({ version: 3, summary: 'Mornings won.' });
  });

  it("feeds the next campaign: the strategist applies the lessons and the planner posts at the creator's best hour", async () => {
    const campaign = await runner
      .campaign({
        name: 'Winter sprint',
        goal: { type: 'followers', metric: 'YouTube subscribers', target: 1300 },
        startDate: '2026-12-07',
        agentConfig: undefined,
      })
      .generated();
    const next = campaign.campaignId;
    expect(campaign.outputs.strategy.appliedMemories.map((memory: { id: string }) => memory.id)).toContain(
      `MEM#followers#youtube#${campaignId}`,
    );
    expect(JSON.stringify(campaign.outputs.strategy)).toMatch(/workout timer/);
    expect(campaign.outputs.plan).toMatchObject({ timesSource: 'own-metrics', ownTimes: { youtube: '07:00' } });
    const schedule = (await api('GET', `/campaigns/${next}/schedule`, { token })).body.data;
    expect(schedule.days.flatMap((day: { posts: SchedulePost[] }) => day.posts.map((post) => post.localTime))).toEqual([
      '07:00',
      '07:00',
      '07:00',
    ]);
  });
});
