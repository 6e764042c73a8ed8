import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { campaignView, missingOnboardingFields } from '../../shared/domain/campaign';
import { allowedActions, canApply, transitions } from '../../shared/domain/campaign-status';
import { campaignStatuses } from '../../shared/schemas/vocabulary';
import { campaignStats } from '../../shared/domain/stats';
import { decodeCursor, encodeCursor } from '../../shared/db/cursor';
import { ifMatchVersion } from '../../shared/http/preconditions';

describe('campaign status machine', () => {
  it('walks the happy path and the retry loop', () => {
    expect(canApply('completeOnboarding', 'onboarding_incomplete')).toBe(true);
    expect(canApply('start', 'ready_to_start')).toBe(true);
    expect(canApply('finishGeneration', 'generating')).toBe(true);
    expect(canApply('complete', 'in_progress')).toBe(true);
    expect(canApply('fail', 'generating')).toBe(true);
    expect(canApply('retry', 'failed')).toBe(true);
    expect(transitions.retry.to).toBe('generating');
  });

  it('refuses what does not fit the status', () => {
    expect(canApply('start', 'onboarding_incomplete')).toBe(false);
    expect(canApply('start', 'generating')).toBe(false);
    expect(canApply('edit', 'generating')).toBe(false);
    expect(canApply('delete', 'generating')).toBe(false);
    expect(canApply('delete', 'in_progress')).toBe(false);
    expect(canApply('retry', 'in_progress')).toBe(false);
  });

  it('every status offers exactly the actions whose `from` lists it, and only completed is terminal for generation', () => {
    fc.assert(
      fc.property(fc.constantFrom(...campaignStatuses), (status) => {
        for (const action of allowedActions(status)) expect(canApply(action, status)).toBe(true);
      }),
    );
    expect(allowedActions('generating')).toEqual(['finishGeneration', 'fail', 'editContent']);
  });
});

describe('campaign views and rules', () => {
  it('hides owner, snapshot and keys', () => {
    const view = campaignView({
      PK: 'x',
      userId: 'u',
      profileSnapshot: {},
      campaignId: 'c',
      status: 'generating',
      version: 2,
      attempt: 1,
      createdAt: 't',
      updatedAt: 't',
    });
    expect(view).toEqual({ campaignId: 'c', status: 'generating', version: 2, attempt: 1, createdAt: 't', updatedAt: 't' });
  });

  it('lists exactly the missing required onboarding fields', () => {
    expect(missingOnboardingFields({ name: 'x', durationDays: 14 })).toEqual(['goal', 'startDate', 'platforms']);
  });
});

describe('stats', () => {
  it('counts posts by approval and sums the metrics of posted executions only', () => {
    const stats = campaignStats({
      campaignId: 'c',
      status: 'in_progress',
      usage: { llmCalls: 12, tokensIn: 1000, tokensOut: 500, costMicroUsd: 2_500, images: 3, byokLlmCalls: 4 },
      contentApprovals: ['approved', 'pending', 'rejected', 'approved', undefined],
      executions: [
        { day: 1, platform: 'youtube', posted: true, metrics: { views: 100, likes: 7 } },
        { day: 2, platform: 'youtube', posted: true, metrics: { views: 50 } },
        { day: 3, platform: 'youtube', posted: false, metrics: { views: 999 } },
        ...[4, 5, 6, 7, 8, 9].map((day) => ({
          day,
          platform: 'x' as const,
          posted: true,
          postedAt: `2027-01-0${day}T10:00:00.000Z`,
          metrics: { likes: day },
        })),
      ],
    });
    expect(stats.posts).toEqual({ planned: 5, approved: 2, rejected: 1, posted: 8 });
    expect(stats.engagement).toMatchObject({ views: 150, likes: 46, comments: 0 });
    // Scores need the posting time; the sixth post of a platform is the first with a baseline.
    expect(stats.scores.map(({ day, score }) => [day, score.status])).toEqual([
      [4, 'no baseline yet'],
      [5, 'no baseline yet'],
      [6, 'no baseline yet'],
      [7, 'no baseline yet'],
      [8, 'no baseline yet'],
      [9, 'scored'],
    ]);
    expect(stats.llm).toEqual({ calls: 12, tokensIn: 1000, tokensOut: 500, costUsd: 0.0025, byokCalls: 4 });
    expect(stats.images).toBe(3);
  });
});

describe('cursors and preconditions', () => {
  it('round-trips a key and refuses one from another partition or garbage', () => {
    const key = { PK: 'USER#a', SK: 'CAMP#1', GSI1PK: 'CAMPAIGNS#a', GSI1SK: 't#1' };
    const cursor = encodeCursor(key);
    expect(decodeCursor(cursor, { PK: 'USER#a', GSI1PK: 'CAMPAIGNS#a' })).toEqual(key);
    expect(() => decodeCursor(cursor, { PK: 'USER#b', GSI1PK: 'CAMPAIGNS#b' })).toThrow(/cursor/);
    expect(() => decodeCursor('not-a-cursor!!', { PK: 'USER#a' })).toThrow(/cursor/);
    expect(() => decodeCursor(Buffer.from('[1,2]').toString('base64url'), { PK: 'USER#a' })).toThrow(/cursor/);
  });

  it('reads If-Match in its usual spellings', () => {
    expect(ifMatchVersion({ headers: {} })).toBeUndefined();
    expect(ifMatchVersion({ headers: { 'if-match': '"3"' } })).toBe(3);
    expect(ifMatchVersion({ headers: { 'if-match': 'W/"12"' } })).toBe(12);
    expect(() => ifMatchVersion({ headers: { 'if-match': 'abc' } })).toThrow(/if-match/);
  });
});
