import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSchedule, PLANNER_CALL_POSTS, plannerCalls } from '../../shared/domain/schedule';
import {
  CHUNK_TOKENS,
  DRAFT_TOKENS,
  FIRST_WEEK_CHUNK_TOKENS,
  WRITER_MAX_WRITTEN_TOKENS,
  writerChunks,
} from '../../shared/domain/writer-chunks';
import { platformSchema, type Platform } from '../../shared/schemas/common';
import { parseWeekOutcomes, readyWeeks, weeksFailure } from '../../shared/workflow/weeks';

const platforms = platformSchema.options;

describe('writerChunks', () => {
  it('writes a 30-day, 3-platform week in 4 calls, week 1 in 10 shorter ones', () => {
    const week = (['youtube', 'tiktok', 'instagram'] as Platform[]).flatMap((platform) =>
      Array.from({ length: 7 }, (_, i) => ({ day: i + 1, platform })),
    );
    expect(writerChunks(week, CHUNK_TOKENS).map((chunk) => chunk.length)).toEqual([4, 3, 7, 7]);
    expect(writerChunks(week, FIRST_WEEK_CHUNK_TOKENS).map((chunk) => chunk.length)).toEqual([2, 2, 2, 1, 3, 3, 1, 3, 3, 1]);
  });

  it('keeps every post once, in plan order per platform, one platform a call, within the budget and the cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 1, max: 7 }), platform: fc.constantFrom(...platforms) }), { maxLength: 56 }),
        fc.constantFrom(CHUNK_TOKENS, FIRST_WEEK_CHUNK_TOKENS),
        (posts, budget) => {
          const chunks = writerChunks(posts, budget);
          expect(chunks.flat().length).toBe(posts.length);
          for (const platform of platforms) {
            expect(chunks.flat().filter((post) => post.platform === platform)).toEqual(posts.filter((post) => post.platform === platform));
          }
          for (const chunk of chunks) {
            expect(new Set(chunk.map((post) => post.platform)).size).toBe(1);
            const tokens = chunk.length * DRAFT_TOKENS[chunk[0].platform];
            expect(chunk.length === 1 || tokens <= budget).toBe(true);
            expect(tokens).toBeLessThanOrEqual(WRITER_MAX_WRITTEN_TOKENS);
          }
        },
      ),
    );
  });
});

describe('plannerCalls', () => {
  it('plans a 30-day campaign in one call per platform and week (15 calls of ≤ 7 posts), a 90-day one likewise', () => {
    const plan = (durationDays: number) =>
      buildSchedule({
        durationDays,
        startDate: '2026-01-05',
        timeZone: 'UTC',
        platforms: (['youtube', 'tiktok', 'instagram'] as Platform[]).map((platform) => ({ platform, postsPerWeek: 7 })),
      });
    const month = plannerCalls(plan(30));
    expect(month).toHaveLength(15);
    expect(month.map((call) => call.length).sort((a, b) => a - b)).toEqual([2, 2, 2, ...Array(12).fill(7)]);
    for (const call of month) expect(new Set(call.map((post) => `${post.platform}|${Math.ceil(post.day / 7)}`)).size).toBe(1);
    const long = plannerCalls(plan(90));
    expect(long.flat()).toHaveLength(270);
    for (const call of long) {
      expect(call.length).toBeLessThanOrEqual(PLANNER_CALL_POSTS);
      expect(new Set(call.map((post) => post.platform)).size).toBe(1);
    }
  });
});

describe('weeks', () => {
  it('reads a week ready only when every item of it is', () => {
    const at = '2026-12-07T00:00:00.000Z';
    expect(readyWeeks([{ day: 1, readyAt: at }, { day: 7, readyAt: at }, { day: 8, readyAt: at }, { day: 9 }, { day: 15 }])).toEqual([1]);
  });

  it("fails the campaign at the first failed week's step, naming the failed and the kept weeks", () => {
    const lambdaCause = JSON.stringify({ errorType: 'LlmUnavailable', errorMessage: 'writer: no model answered' });
    const outcomes = parseWeekOutcomes({
      weeks: [
        { week: 1, posts: 21, rendered: 21 },
        { week: 4, step: 'Thumbnails', error: { Error: 'States.Timeout' } },
        { week: 3, step: 'Writing', error: { Error: 'LlmUnavailable', Cause: lambdaCause } },
      ],
    });
    expect(weeksFailure(outcomes, [2, 1])).toEqual({
      weeks: [3, 4],
      failedStep: 'Writing',
      error: {
        Error: 'LlmUnavailable',
        Cause:
          'weeks 3, 4 failed (LlmUnavailable: writer: no model answered); weeks 1, 2 ready and kept; a retry regenerates only the failed weeks',
      },
    });
    expect(weeksFailure(parseWeekOutcomes({ weeks: [{ week: 1 }] }), [1])).toBeUndefined();
    expect(parseWeekOutcomes({ userId: 'u' })).toEqual([]);
  });
});
