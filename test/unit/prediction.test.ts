import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  featuresOf,
  fitPredictionModel,
  predictionCheck,
  predictScore,
  PRIOR_POSTS,
  ranks,
  spearman,
  trainingPostsOf,
  type TrainingPost,
} from '../../shared/domain/prediction';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import type { PostExecution } from '../../shared/schemas/execution';

describe('per-creator prediction', () => {
  it('reads the features of a post as planned; an assigned hook style wins over the one read from the text', () => {
    const source = {
      platform: 'youtube' as const,
      date: '2027-03-07',
      localTime: '18:30',
      format: 'short',
      pillar: 'Tips',
      script: { hook: 'Why do budgets fail?' },
    };
    expect(featuresOf(source)).toEqual({
      platform: 'youtube',
      hourBand: 'evening',
      weekday: '0',
      format: 'short',
      pillar: 'Tips',
      hookStyle: 'question',
    });
    expect(featuresOf({ ...source, hookStyle: 'contrarian' }).hookStyle).toBe('contrarian');
  });

  it('a new creator gets the prior: 0 for every post', () => {
    const model = fitPredictionModel([]);
    expect(model.posts).toBe(0);
    expect(predictScore(model, { platform: 'x', pillar: 'Tips', hookStyle: 'number' })).toBe(0);
  });

  it('shrinks an arm towards 0 by the prior, and recovers planted effects from enough posts', () => {
    const one = fitPredictionModel([{ z: 2, features: { pillar: 'Tips' } }]);
    expect(predictScore(one, { pillar: 'Tips' })).toBeCloseTo(2 / (1 + PRIOR_POSTS), 3);
    expect(predictScore(one, { pillar: 'Stories' })).toBe(0);

    const random = seededRandom('prediction-test');
    const posts: TrainingPost[] = Array.from({ length: 400 }, (_, i) => {
      const pillar = i % 2 === 0 ? 'Tips' : 'Stories';
      const hookStyle = i % 3 === 0 ? 'question' : 'statement';
      const z = (pillar === 'Tips' ? 0.5 : -0.5) + (hookStyle === 'question' ? -0.4 : 0.2) + 0.5 * normalDraw(random);
      return { z, features: { pillar, hookStyle, platform: 'youtube' } };
    });
    const model = fitPredictionModel(posts);
    const tipsQuestion = predictScore(model, { pillar: 'Tips', hookStyle: 'question', platform: 'youtube' });
    const storiesStatement = predictScore(model, { pillar: 'Stories', hookStyle: 'statement', platform: 'youtube' });
    expect(tipsQuestion).toBeCloseTo(0.1, 0);
    expect(storiesStatement).toBeCloseTo(-0.3, 0);
    const pillarEffect = predictScore(model, { pillar: 'Tips' }) - predictScore(model, { pillar: 'Stories' });
    expect(pillarEffect).toBeGreaterThan(0.8);
    expect(pillarEffect).toBeLessThan(1.1);
  });

  it('trains on the scored posts of earlier campaigns only (5 earlier posts of the platform make a baseline)', () => {
    const executions: PostExecution[] = Array.from({ length: 8 }, (_, i) => ({
      campaignId: '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10',
      day: i + 1,
      platform: 'x',
      posted: true,
      status: 'posted',
      postedAt: `2027-01-0${i + 1}T10:00:00.000Z`,
      metrics: { likes: 10 + i },
      history: [],
      version: 1,
      confirmedAt: '2027-01-01T10:00:00.000Z',
      updatedAt: '2027-01-01T10:00:00.000Z',
    }));
    const posts = executions.map((execution) => ({
      day: execution.day,
      platform: 'x' as const,
      date: execution.postedAt!.slice(0, 10),
      localTime: '10:00',
      pillar: 'Tips',
    }));
    const rows = trainingPostsOf([{ posts, executions }]);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.z > 0 && row.features.pillar === 'Tips')).toBe(true);
  });

  it("Spearman's rank correlation: exact, reversed, ties, and undefined when it cannot say", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(ranks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 9);
    expect(spearman([0, 0, 0, 0], [1, 2, 3, 4])).toBeUndefined();
    expect(spearman([1, 2], [1, 2])).toBeUndefined();
  });

  it('property: Spearman is within [-1, 1], symmetric, and unchanged by a monotone transform', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), { minLength: 3, maxLength: 40 }),
        (pairs) => {
          const xs = pairs.map(([x]) => x);
          const ys = pairs.map(([, y]) => y);
          const rho = spearman(xs, ys);
          if (rho === undefined) return;
          expect(Math.abs(rho)).toBeLessThanOrEqual(1 + 1e-9);
          expect(spearman(ys, xs)).toBeCloseTo(rho, 9);
          expect(
            spearman(
              xs.map((x) => x ** 3 + 7),
              ys,
            ),
          ).toBeCloseTo(rho, 9);
        },
      ),
    );
  });

  it('the report section: every post with a prediction and a score, the correlation and how far to trust it', () => {
    const check = predictionCheck([
      { day: 2, platform: 'x', predicted: 0.2, actual: 0.5 },
      { day: 1, platform: 'x', predicted: -0.3, actual: -1 },
      { day: 3, platform: 'x', predicted: 0.4, actual: 1.2 },
      { day: 4, platform: 'x', predicted: 0, actual: 0.1 },
    ]);
    expect(check.posts.map((post) => post.day)).toEqual([1, 2, 3, 4]);
    expect(check).toMatchObject({ n: 4, spearman: 1 });
    expect(check.reading).toMatch(/ranked the 4 posts well \(Spearman 1\.00\): its rankings are worth following/);
    expect(predictionCheck([]).reading).toMatch(/Not enough to check yet: 0 scored posts/);
    const flat = predictionCheck([1, 2, 3].map((day) => ({ day, platform: 'x' as const, predicted: 0, actual: day })));
    expect(flat.spearman).toBeUndefined();
    expect(flat.reading).toMatch(/every prediction was the same/);
  });
});
