import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import { completeCampaign, startFixtures, type Api, type Creator, type Fixtures, type TestStack } from '../support/fixtures';
import { SIGMA } from '../support/learning-sim';

/**
 * Learning end to end: three campaigns of one creator, each posted with simulated engagement
 * (log-normal, σ = 0.9, the simulator's), numbers entered by confirmation and by CSV import,
 * completed, their lessons approved with the creator's edits; the next campaign finds the earlier
 * memories across goal types.
 */

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let creator: Creator;
const userId = 'learner';

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  creator = await fixtures.creator(userId, { profile: { niche: 'home workouts', timeZone: 'Europe/Paris' } });
});
afterAll(() => stack?.dispose());

interface SchedulePost {
  day: number;
  platform: string;
  date: string;
  dueAt: string;
  score?: { status: string };
}

async function schedule(campaignId: string): Promise<SchedulePost[]> {
  const res = await api('GET', `/campaigns/${campaignId}/schedule`, { token: creator.token });
  expect(res.status).toBe(200);
  return res.body.data.days.flatMap((day: { posts: SchedulePost[] }) => day.posts);
}

/** Every planned post confirmed posted at its time with a platform id; metrics for the first half by confirm-day. */
async function postAll(campaignId: string, seed: string) {
  const random = seededRandom(seed);
  const posts = await schedule(campaignId);
  const likes = new Map(posts.map((post) => [`${post.day}#${post.platform}`, Math.round(200 * Math.exp(SIGMA * normalDraw(random)))]));
  for (const [index, post] of posts.entries()) {
    const key = `${post.day}#${post.platform}`;
    const body = {
      day: post.day,
      platform: post.platform,
      posted: true,
      postedAt: post.dueAt,
      platformPostId: `${seed}-${key}`,
      ...(index < posts.length / 2 && { metrics: { likes: likes.get(key), views: likes.get(key)! * 20 } }),
    };
    expect((await api('POST', `/campaigns/${campaignId}/confirm-day`, { token: creator.token, body })).status).toBe(200);
  }
  return { posts, likes };
}

const complete = (campaignId: string) => completeCampaign(api, creator.token, campaignId);

describe('learning end to end', () => {
  const edited = 'My words: mornings on YouTube, the 10-minute series — keep "timer on screen"!';
  let first: string;

  it('campaign 1: numbers by confirmation and CSV import (a match report, all or nothing), follower counts, scores, findings, edits', async () => {
    const campaign = await creator
      .campaign({
        name: 'Season one',
        goal: { type: 'followers', metric: 'YouTube subscribers', target: 1500, baseline: 1000 },
        durationDays: 14,
        startDate: '2026-11-02',
        platforms: [
          { platform: 'youtube', postsPerWeek: 7 },
          { platform: 'x', postsPerWeek: 7 },
        ],
      })
      .generated();
    first = campaign.campaignId;
    const { posts, likes } = await postAll(first, 'one');
    const rest = posts.slice(Math.ceil(posts.length / 2));
    const row = (post: SchedulePost, by: 'id' | 'date') =>
      `${post.platform},${by === 'date' ? post.date : ''},${by === 'id' ? `one-${post.day}#${post.platform}` : ''},${likes.get(`${post.day}#${post.platform}`)! * 20},${likes.get(`${post.day}#${post.platform}`)}`;
    const header = 'platform,date,platformPostId,views,likes';
    const importCsv = (csv: string) => api('POST', `/campaigns/${first}/metrics/import`, { token: creator.token, body: { csv } });

    // A malformed row refuses the whole file: nothing is applied.
    const refused = await importCsv([header, ...rest.map((post) => row(post, 'id')), 'youtube,2026-11-03,,12,many'].join('\n'));
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'METRICS_IMPORT_INVALID', details: { rows: [{ row: rest.length + 2 }] } });
    expect((await schedule(first)).filter((post) => post.score).length).toBe(Math.ceil(posts.length / 2));

    const youtubeByDate = rest.find((post) => post.platform === 'youtube')!;
    const lines = [
      header,
      ...rest.map((post) => row(post, post === youtubeByDate ? 'date' : 'id')),
      'youtube,2026-12-25,,10,1',
      'tiktok,2026-11-03,,10,1',
    ];
    const imported = await importCsv(lines.join('\n'));
    expect(imported.status).toBe(200);
    expect(imported.body.data).toMatchObject({ layout: 'crescendo', rows: rest.length + 2, applied: rest.length });
    expect(
      imported.body.data.matched.find((m: { day: number; platform: string }) => m.day === youtubeByDate.day && m.platform === 'youtube').by,
    ).toBe('date');
    expect(imported.body.data.unmatched).toEqual([
      { row: rest.length + 2, reason: 'no_post_on_date', message: 'No confirmed posted post on youtube on 2026-12-25' },
      { row: rest.length + 3, reason: 'platform_not_in_campaign', message: 'The campaign does not post on tiktok' },
    ]);

    // Scores on the schedule and the stats: the first 5 posts of a platform have no baseline yet.
    const scored = await schedule(first);
    const youtube = scored.filter((post) => post.platform === 'youtube').sort((a, b) => a.day - b.day);
    expect(youtube.slice(0, 5).map((post) => post.score?.status)).toEqual(Array(5).fill('no baseline yet'));
    expect(youtube.slice(5).every((post) => post.score?.status === 'scored')).toBe(true);
    const stats = (await api('GET', `/campaigns/${first}/stats`, { token: creator.token })).body.data;
    expect(stats.scores).toHaveLength(posts.length);

    const followers = await api('PUT', '/profile/followers', {
      token: creator.token,
      body: { platform: 'youtube', date: '2026-11-01', count: 1000 },
    });
    expect(followers.status).toBe(200);
    expect(followers.body.data.entry).toMatchObject({ source: 'manual', count: 1000 });
    await api('PUT', '/profile/followers', { token: creator.token, body: { platform: 'youtube', date: '2026-11-15', count: 1090 } });

    const completed = await complete(first);
    expect(completed.outputs.outcome.goal).toMatchObject({ basis: 'followerCounts', achieved: 90 });
    expect(completed.outputs.outcome.followers).toEqual([
      { platform: 'youtube', from: { date: '2026-11-01', count: 1000 }, to: { date: '2026-11-15', count: 1090 }, gained: 90 },
    ]);
    const lessons = (await api('GET', `/campaigns/${first}/lessons-learned`, { token: creator.token })).body.data;
    expect(lessons.findings.length).toBeGreaterThan(0);
    for (const finding of lessons.findings) {
      expect(finding.postIds.arm).toHaveLength(finding.n.arm);
      if (finding.n.arm < 5 || finding.n.rest < 5) expect(finding).toMatchObject({ confidence: 'not enough evidence yet' });
      if (finding.recommendation) expect(['strong', 'suggestive']).toContain(finding.confidence);
    }

    const approved = await api('PATCH', `/campaigns/${first}/approve-lessons`, { token: creator.token, body: { summary: edited } });
    expect(approved.status).toBe(200);
    expect(approved.body.data.summary).toBe(edited);
  });

  it('campaigns 2 and 3: another goal type finds campaign 1 by relevance, lists what it applied and skipped, and learns again', async () => {
    const second = await creator
      .campaign({
        name: 'Season two',
        goal: { type: 'engagement', metric: 'comments and likes', target: 5000 },
        durationDays: 7,
        startDate: '2026-11-16',
        platforms: [{ platform: 'youtube', postsPerWeek: 7 }],
      })
      .generated();
    expect(new Set(second.memoryChoices!.applied.map((choice: { campaignId: string }) => choice.campaignId))).toEqual(new Set([first]));
    // Campaign 1 wrote one memory per platform: the youtube one shares the platform, the x one only the niche.
    expect(second.memoryChoices!.applied).toHaveLength(2);
    expect(second.memoryChoices!.applied[0]).toMatchObject({
      memory: `MEM#followers#youtube#${first}`,
      why: expect.stringContaining('same platform (youtube)'),
    });
    expect(JSON.stringify(second.outputs.strategy)).toContain('My words: mornings on YouTube');
    expect(second.outputs.strategy.summary).toContain('Lessons from 1 earlier campaign applied');

    await postAll(second.campaignId, 'two');
    await complete(second.campaignId);
    expect((await api('PATCH', `/campaigns/${second.campaignId}/approve-lessons`, { token: creator.token })).status).toBe(200);

    const third = await creator
      .campaign({
        name: 'Season three',
        goal: { type: 'views', metric: 'views', target: 9000 },
        durationDays: 7,
        startDate: '2026-11-23',
        platforms: [{ platform: 'x', postsPerWeek: 7 }],
      })
      .generated();
    // x shares a platform with campaign 1 only; campaign 2 (youtube, engagement) still shares the niche.
    expect(third.memoryChoices!.applied.map((choice: { memory: string }) => choice.memory)).toEqual([
      `MEM#followers#x#${first}`,
      expect.stringMatching(/^MEM#/),
      expect.stringMatching(/^MEM#/),
    ]);
    expect(third.outputs.strategy.summary).toContain('Lessons from 2 earlier campaigns applied');
    await postAll(third.campaignId, 'three');
    const done = await complete(third.campaignId);
    expect(done.status).toBe('completed');
    // 7 posts, the first 5 without a baseline: nothing to claim, and no recommendation from it.
    const lessons = (await api('GET', `/campaigns/${third.campaignId}/lessons-learned`, { token: creator.token })).body.data;
    expect(lessons.findings.every((finding: { confidence: string }) => finding.confidence === 'not enough evidence yet')).toBe(true);
    expect(lessons.summary).toContain('Not enough evidence yet');
    expect(lessons.recommendations.map((lesson: { text: string }) => lesson.text).join(' ')).not.toMatch(/around \d\d:00/);
  });
});
