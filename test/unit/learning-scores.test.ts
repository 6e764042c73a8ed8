import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignFindings, hookStyleOf, studentQuantile, normalQuantile, type ScoredPost } from '../../shared/domain/evidence';
import { postScores, robustBaseline, type ScoreInput } from '../../shared/domain/scores';
import { plural } from '../../shared/domain/wording';
import { nullDesign, simulate, simulateCampaign, twoArmDesign } from '../support/learning-sim';

const post = (i: number, likes: number, platform: ScoreInput['platform'] = 'youtube'): ScoreInput => ({
  id: `${i}#${platform}`,
  platform,
  postedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
  metrics: { likes, views: likes * 10 },
});

describe('baseline-relative scores', () => {
  it('says "no baseline yet" below 5 earlier posts of the platform, then scores against the median and MAD', () => {
    const posts = [10, 20, 30, 40, 50, 200].map((likes, i) => post(i + 1, likes));
    const scores = postScores([...posts, post(1, 999, 'tiktok')]);
    expect(scores.get('5#youtube')).toEqual({ status: 'no baseline yet', baselinePosts: 4 });
    expect(scores.get('1#tiktok')).toEqual({ status: 'no baseline yet', baselinePosts: 0 });
    const logs = [10, 20, 30, 40, 50].map(Math.log1p);
    const { median, scale } = robustBaseline(logs);
    expect(median).toBeCloseTo(Math.log1p(30));
    const sixth = scores.get('6#youtube');
    expect(sixth).toMatchObject({ status: 'scored', baselinePosts: 5, basis: 'interactions' });
    expect(sixth?.status === 'scored' && sixth.z).toBeCloseTo((Math.log1p(200) - median) / scale, 2);
  });

  it('uses the last 30 earlier posts only, and views where the platform reports no interactions', () => {
    const posts = Array.from({ length: 40 }, (_, i) => ({ ...post(i + 1, 0), metrics: { views: 100 + i } }));
    const last = postScores(posts).get('40#youtube');
    expect(last).toMatchObject({ status: 'scored', baselinePosts: 30, basis: 'views' });
  });

  it('is a robust z: scaling every engagement by a constant moves no score much, and one outlier does not move the others', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 6, maxLength: 40 }), (likes) => {
        const scores = postScores(likes.map((value, i) => post(i + 1, value)));
        for (const score of scores.values()) if (score.status === 'scored') expect(Number.isFinite(score.z)).toBe(true);
      }),
    );
  });
});

describe('findings (lessons as evidence)', () => {
  const scored = (n: number, arm: string, z: (i: number) => number, offset = 0): ScoredPost[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${offset + i + 1}#youtube`, z: z(i), arms: { pillar: arm } }));

  it('below 5 posts per arm says "not enough evidence yet" and recommends nothing', () => {
    const posts = [...scored(4, 'Tips', () => 3), ...scored(20, 'Stories', (i) => (i % 2 ? 0.1 : -0.1), 4)];
    const [finding] = campaignFindings(posts, { now: '2026-03-01T00:00:00.000Z', seed: 's' });
    expect(finding).toMatchObject({ confidence: 'not enough evidence yet', n: { arm: 20, rest: 4 } });
    expect(finding?.recommendation).toBeUndefined();
    expect(finding?.effect).toBeUndefined();
    expect(finding?.claim).toBe(
      'Not enough evidence yet on the "Stories" pillar against the "Tips" pillar: 20 posts against 4 posts, 5 a side needed.',
    );
  });

  it('carries the post ids, n per arm, the effect with its interval, learned-at and expires-at 180 days later', () => {
    const posts = [...scored(12, 'Tips', (i) => 1 + (i % 3) * 0.1), ...scored(12, 'Stories', (i) => (i % 3) * 0.1, 12)];
    const [finding] = campaignFindings(posts, { now: '2026-03-01T10:00:00.000Z', seed: 's' });
    expect(finding).toMatchObject({
      dimension: 'pillar',
      arm: 'Stories',
      versus: 'Tips',
      n: { arm: 12, rest: 12 },
      effect: -1,
      confidence: 'strong',
      learnedAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-08-28T10:00:00.000Z',
      recommendation: 'Plan fewer the "Stories" pillar.',
    });
    expect(finding?.postIds.arm).toHaveLength(12);
    expect(finding?.postIds.arm[0]).toBe('13#youtube');
    expect(finding?.interval?.level).toBe(0.95);
    expect(finding!.interval!.high).toBeLessThan(0);
  });

  it('is suggestive between 5 and 9 posts per arm, and repeatable for a seed', () => {
    const posts = [...scored(6, 'Tips', (i) => 2 + (i % 2) * 0.2), ...scored(6, 'Stories', (i) => (i % 2) * 0.2, 6)];
    const once = campaignFindings(posts, { now: '2026-03-01T00:00:00.000Z', seed: 'a' });
    expect(once[0]?.confidence).toBe('suggestive');
    expect(campaignFindings(posts, { now: '2026-03-01T00:00:00.000Z', seed: 'a' })).toEqual(once);
  });

  it('opening lines have a hook style', () => {
    expect(['Why do squats hurt?', '5 moves for busy mornings', 'How I train at home', 'Today we train.', ''].map(hookStyleOf)).toEqual([
      'question',
      'number',
      'how-to',
      'statement',
      undefined,
    ]);
  });

  it('quantiles match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.96, 3);
    expect(studentQuantile(0.025, 10)).toBeCloseTo(2.228, 2);
    expect(studentQuantile(0.005, 5)).toBeCloseTo(4.032, 2);
  });
});

describe('counts in text', () => {
  it('says 1 campaign, 2 campaigns, 1 week', () => {
    expect([plural(1, 'campaign'), plural(2, 'campaign'), plural(1, 'week'), plural(0, 'post')]).toEqual([
      '1 campaign',
      '2 campaigns',
      '1 week',
      '0 posts',
    ]);
  });
});

describe('the simulator (known truth, CI size; `npm run bench -- learning` runs 200 campaigns)', () => {
  it('finds a planted ±30 % effect with enough posts per arm', () => {
    const result = simulateCampaign(twoArmDesign(800), 'found');
    expect(result.planted.map((arm) => arm.detected)).toEqual([true, true]);
    expect(result.falseClaims).toEqual([]);
  });

  it('keeps false lessons rare when nothing is planted (family level 5 %)', () => {
    const summary = simulate(nullDesign, 40, 'ci-null');
    expect(summary.campaignsWithFalseClaims / summary.campaigns).toBeLessThanOrEqual(0.1);
  });

  it('detects most planted effects at 320 posts per arm with few false lessons', () => {
    const summary = simulate(twoArmDesign(320), 12, 'ci-two', 320);
    expect(summary.detectionRate).toBeGreaterThanOrEqual(0.75);
    expect(summary.falseLessonRate).toBeLessThanOrEqual(0.05);
  });
});
