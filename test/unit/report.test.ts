import { describe, expect, it } from 'vitest';
import { reporterAgent, reporterOutputSchema } from '../../shared/agents/reporter';
import { approveLessons, draftLessons, learningMemories } from '../../shared/domain/lessons';
import { campaignOutcome, followerGrowth, goalResult, type OutcomePost } from '../../shared/domain/outcome';
import { MIN_POSTS_PER_PLATFORM, postingTimeInsights, preferredPostingTimes } from '../../shared/domain/posting-times';
import { buildSchedule, planSummary } from '../../shared/domain/schedule';
import type { PostExecution } from '../../shared/schemas/execution';
import type { MetricTotals, SlotResult } from '../../shared/schemas/report';

const cid = '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10';
const post = (day: number, platform: OutcomePost['platform'], pillar: string): OutcomePost => ({
  day,
  platform,
  date: `2027-03-${String(21 + day).padStart(2, '0')}`,
  localTime: '17:00',
  title: `Post ${day}`,
  pillar,
});
const execution = (
  day: number,
  platform: PostExecution['platform'],
  postedAt: string,
  likes: number,
  extra: Partial<PostExecution> = {},
): PostExecution => ({
  campaignId: cid,
  day,
  platform,
  posted: true,
  status: 'posted',
  postedAt,
  metrics: { views: likes * 10, likes, followersGained: 1 },
  history: [],
  version: 1,
  confirmedAt: postedAt,
  updatedAt: postedAt,
  ...extra,
});

describe('outcome numbers', () => {
  const posts = [
    post(1, 'youtube', 'Tutorials'),
    post(2, 'instagram', 'Behind the scenes'),
    post(3, 'youtube', 'Behind the scenes'),
    post(4, 'instagram', 'Tutorials'),
    post(5, 'youtube', 'Tutorials'),
  ];
  // Europe/Berlin: 16:00Z is 17:00 before 28 March and 18:00 after.
  const executions = [
    execution(1, 'youtube', '2027-03-22T16:00:00Z', 50),
    execution(2, 'instagram', '2027-03-23T16:00:00Z', 5),
    execution(3, 'youtube', '2027-03-29T16:00:00Z', 20),
    {
      ...execution(4, 'instagram', '2027-03-30T16:00:00Z', 0),
      posted: false,
      status: 'skipped' as const,
      metrics: undefined,
      postedAt: undefined,
    },
  ];
  const outcome = campaignOutcome({
    campaignId: cid,
    now: '2027-04-05T00:00:00.000Z',
    goal: { type: 'followers', metric: 'followers', target: 10 },
    timeZone: 'Europe/Berlin',
    posts,
    executions,
  });

  it('sums the posted posts only, and ranks posts, platforms and pillars', () => {
    expect(outcome.posts).toEqual({ planned: 5, posted: 3, skipped: 1, unconfirmed: 1 });
    expect(outcome.totals).toMatchObject({ likes: 75, views: 750, followersGained: 3, engagement: 75 });
    expect(outcome.engagementRate).toBe(10);
    expect(outcome.goal).toMatchObject({ achieved: 3, progressPercent: 30, met: false });
    expect(outcome.bestPosts.map((p) => p.day)).toEqual([1, 3, 2]);
    expect(outcome.worstPosts).toEqual([]);
    expect(outcome.perPlatform.find((g) => g.platform === 'youtube')).toMatchObject({ planned: 3, posted: 2, avgEngagement: 35 });
    expect(outcome.perPillar.find((g) => g.pillar === 'Tutorials')).toMatchObject({ planned: 3, posted: 1, skipped: 1 });
  });

  it('buckets posting times in local hours across the DST change', () => {
    expect(outcome.postingSlots.filter((slot) => slot.platform === 'youtube').map((slot) => slot.hour)).toEqual([17, 18]);
    expect(outcome.bestPostingTimes.find((slot) => slot.platform === 'youtube')).toMatchObject({ weekday: 1, hour: 17, engagement: 50 });
  });

  it('measures a followers goal by the recorded follower counts when there are any', () => {
    const entry = (platform: 'youtube' | 'x', date: string, count: number) => ({
      platform,
      date,
      count,
      source: 'manual' as const,
      recordedAt: `${date}T12:00:00.000Z`,
    });
    const counts = [
      entry('youtube', '2027-03-01', 1000),
      entry('youtube', '2027-03-20', 1040),
      entry('youtube', '2027-04-30', 2000),
      entry('x', '2027-03-25', 10),
    ];
    const growth = followerGrowth(counts, { from: '2027-03-15', to: '2027-04-04' });
    expect(growth).toEqual([
      { platform: 'youtube', from: { date: '2027-03-01', count: 1000 }, to: { date: '2027-03-20', count: 1040 }, gained: 40 },
    ]);
    expect(goalResult({ type: 'followers', metric: 'subs', target: 100 }, { followersGained: 3 } as MetricTotals, growth)).toMatchObject({
      basis: 'followerCounts',
      achieved: 40,
      progressPercent: 40,
    });
  });

  it('measures a goal with a baseline as the gain to the target', () => {
    const totals = { followersGained: 60 } as MetricTotals;
    expect(goalResult({ type: 'followers', metric: 'subs', target: 1100, baseline: 1000 }, totals)).toMatchObject({
      achieved: 60,
      reached: 1060,
      progressPercent: 60,
      met: false,
    });
  });

  it('the offline reporter words exactly these numbers, and its output fits the schema', () => {
    const { postingSlots: _slots, ...numbers } = outcome;
    const words = reporterAgent.offline({ niche: 'fitness', durationDays: 14, numbers }, cid);
    expect(reporterOutputSchema.safeParse(words).success).toBe(true);
    expect(words.summary).toContain('Goal not met');
    expect(words.whatWorked[0]).toMatchObject({
      platform: 'youtube',
      evidence: expect.stringContaining('35 interactions per post over 2 posts'),
    });
    expect(words.whatFailed.some((lesson) => lesson.evidence === '1 of 5 posts skipped')).toBe(true);
    expect(reporterAgent.prompt({ niche: 'fitness', durationDays: 14, numbers })).toContain('"engagement":75');
  });

  it("the prediction section: each scored post's predicted score against its actual one, their rank correlation, and the reporter says how far to trust it", () => {
    // Nine YouTube posts with rising likes: the last four have a baseline (5 earlier posts) and a score.
    const days = Array.from({ length: 9 }, (_, i) => i + 1);
    const predicted = [0.4, -0.2, 0.1, 0.3, -0.5, 0.2, -0.1, 0.6, 0.9];
    const withPredictions = days.map((day) => ({ ...post(day, 'youtube', 'Tutorials'), prediction: { score: predicted[day - 1]! } }));
    const numbers = campaignOutcome({
      campaignId: cid,
      now: '2027-04-05T00:00:00.000Z',
      goal: { type: 'views', metric: 'views', target: 10 },
      timeZone: 'Europe/Berlin',
      posts: [...withPredictions, post(10, 'youtube', 'Tutorials')],
      executions: days.map((day) => execution(day, 'youtube', `2027-03-${String(21 + day).padStart(2, '0')}T16:00:00Z`, 10 * day)),
    });
    expect(numbers.prediction!.posts.map((p) => [p.day, p.predicted])).toEqual([
      [6, 0.2],
      [7, -0.1],
      [8, 0.6],
      [9, 0.9],
    ]);
    expect(numbers.prediction!.posts.every((p) => p.actual > 0)).toBe(true);
    expect(numbers.prediction).toMatchObject({ n: 4, spearman: expect.any(Number) });
    expect(numbers.prediction!.reading).toContain(`Spearman ${numbers.prediction!.spearman!.toFixed(2)}`);
    const { postingSlots: _slots, prediction, ...rest } = numbers;
    const { posts: _posts, ...check } = prediction!;
    const words = reporterAgent.offline({ niche: 'fitness', durationDays: 14, numbers: { ...rest, prediction: check } }, cid);
    expect(words.summary).toContain(check.reading);
    expect(reporterAgent.prompt({ niche: 'fitness', durationDays: 14, numbers: { ...rest, prediction: check } })).toContain('"spearman"');
  });

  it('from a handful of posts it recommends no posting time and says there is not enough evidence yet', () => {
    const { postingSlots: _slots, ...numbers } = outcome;
    const words = reporterAgent.offline({ niche: 'fitness', durationDays: 14, numbers }, cid);
    expect(outcome.findings.every((finding) => finding.confidence === 'not enough evidence yet')).toBe(true);
    expect(words.recommendations.map((lesson) => lesson.text).join(' ')).not.toMatch(/around \d\d:00/);
    expect(words.summary).toContain('Not enough evidence yet');
    expect(JSON.stringify(words)).not.toMatch(/\b1 posts\b/);
  });
});

describe('lessons', () => {
  const draft = draftLessons(
    cid,
    {
      summary: 'S',
      whatWorked: [{ text: 'YouTube mornings', platform: 'youtube', evidence: '103 per post' }],
      whatFailed: [{ text: 'Skipped posts' }],
      recommendations: [],
    },
    'offline',
    '2027-04-05T00:00:00.000Z',
    [],
  );
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('approves the draft with edits, ignores a repeat, and needs the version to change approved lessons', () => {
    const { lessons: approved } = approveLessons(draft, { summary: 'Edited' }, undefined, 'now');
    expect(approved).toMatchObject({ state: 'approved', version: 2, summary: 'Edited', approvedAt: 'now' });
    expect(approveLessons(approved, { summary: 'Edited' }, undefined, 'later')).toEqual({ lessons: approved, changed: false });
    expect(code(() => approveLessons(approved, { summary: 'Other' }, undefined, 'later'))).toBe('PRECONDITION_REQUIRED');
    expect(code(() => approveLessons(approved, { summary: 'Other' }, 1, 'later'))).toBe('PRECONDITION_FAILED');
    expect(approveLessons(approved, { summary: 'Other' }, 2, 'later').lessons.version).toBe(3);
  });

  it('writes one memory per platform with the lessons about it and the general ones', () => {
    const memories = learningMemories(
      { ...draft, state: 'approved' },
      {
        campaignId: cid,
        goalType: 'followers',
        niche: 'fitness',
        durationDays: 14,
        platforms: [
          { platform: 'youtube', postsPerWeek: 3 },
          { platform: 'x', postsPerWeek: 7 },
        ],
      },
    );
    expect(memories[0]).toMatchObject({
      platform: 'youtube',
      postsPerWeek: 3,
      whatWorked: ['YouTube mornings (103 per post)'],
      whatFailed: ['Skipped posts'],
    });
    expect(memories[1]).toMatchObject({ platform: 'x', whatWorked: [], whatFailed: ['Skipped posts'] });
  });
});

describe('best posting times', () => {
  const slot = (hour: number, weekday: number, posts: number, engagement: number): SlotResult => ({
    platform: 'youtube',
    hour,
    weekday,
    posts,
    engagement,
  });

  it('recommends nothing below the threshold, then the hour with the best engagement per post', () => {
    const few = [slot(7, 1, 2, 200), slot(17, 2, 2, 50)];
    expect(postingTimeInsights(few)[0]).toMatchObject({ posts: 4, enough: false });
    expect(preferredPostingTimes(postingTimeInsights(few))).toEqual({});
    const enough = [...few, slot(7, 3, 1, 120), slot(17, 4, MIN_POSTS_PER_PLATFORM, 60), slot(9, 1, 1, 900)];
    const [insight] = postingTimeInsights(enough);
    // 09:00 has one post only: too few to trust, however good.
    expect(insight).toMatchObject({ enough: true, bestHour: 7, avgEngagementAtBest: 106.7, bestHourOfWeek: { weekday: 1, hour: 7 } });
    expect(preferredPostingTimes([insight])).toEqual({ youtube: '07:00' });
  });

  it('the calendar posts at a learned time and says so', () => {
    const posts = buildSchedule({
      durationDays: 7,
      startDate: '2027-03-22',
      platforms: [
        { platform: 'youtube', postsPerWeek: 2 },
        { platform: 'x', postsPerWeek: 1 },
      ],
      timeZone: 'Europe/Berlin',
      postingTimes: { youtube: '07:00' },
    });
    expect(posts.filter((p) => p.platform === 'youtube').every((p) => p.localTime === '07:00' && p.timeSource === 'own-metrics')).toBe(
      true,
    );
    expect(posts.find((p) => p.platform === 'x')).toMatchObject({ localTime: '09:00', timeSource: 'platform-default' });
    expect(planSummary(posts)).toMatchObject({ timesSource: 'mixed', ownTimes: { youtube: '07:00' } });
  });
});
