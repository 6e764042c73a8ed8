import { describe, expect, it } from 'vitest';
import { approveLessons, draftLessons, learningMemories } from '../../shared/domain/lessons';
import { rankMemories, type StoredMemory } from '../../shared/domain/memories';

const now = '2027-06-01T00:00:00.000Z';
const memory = (id: string, fields: Partial<StoredMemory>): StoredMemory => ({ memory: id, ...fields });

describe('memories found by relevance', () => {
  it('reads across goal types and ranks by platform, goal metric, niche and recency; says why it skipped the others', () => {
    const { applied, choices } = rankMemories(
      [
        // An engagement campaign on the same platform: reaches a followers campaign now.
        memory('MEM#engagement#youtube#c1', {
          goalType: 'engagement',
          platform: 'youtube',
          niche: 'home workouts',
          approvedAt: '2027-05-01T00:00:00.000Z',
        }),
        memory('MEM#followers#tiktok#c2', {
          goalType: 'followers',
          platform: 'tiktok',
          niche: 'cooking',
          approvedAt: '2027-05-20T00:00:00.000Z',
        }),
        memory('MEM#views#blog#c3', { goalType: 'views', platform: 'blog', niche: 'gardening', approvedAt: '2027-05-20T00:00:00.000Z' }),
        memory('MEM#followers#youtube#c4', { goalType: 'followers', platform: 'youtube', approvedAt: '2026-10-01T00:00:00.000Z' }),
        // Written before the ranking: no dates, read as it is.
        memory('MEM#followers#youtube#c5', { goalType: 'followers', platform: 'youtube', niche: 'workouts at home' }),
      ],
      { goalType: 'followers', platforms: ['youtube'], niche: 'Home workouts for parents', now },
    );
    expect(applied.map((m) => m.memory)).toEqual(['MEM#followers#youtube#c5', 'MEM#engagement#youtube#c1', 'MEM#followers#tiktok#c2']);
    expect(choices.applied[1]).toMatchObject({ campaignId: 'c1', why: 'same platform (youtube), same niche, learned 31 days ago' });
    expect(choices.skipped).toEqual([
      { memory: 'MEM#views#blog#c3', why: 'unrelated: another platform, goal metric and niche' },
      { memory: 'MEM#followers#youtube#c4', why: 'expired: learned 243 days ago, lessons last 180 days' },
    ]);
  });
});

describe("the creator's edits", () => {
  it('are kept verbatim and win over the draft, up to the memories', () => {
    const draft = draftLessons(
      'c0000000-0000-4000-8000-000000000000',
      { summary: 'Draft summary', whatWorked: [{ text: 'Draft lesson', platform: 'youtube' }], whatFailed: [], recommendations: [] },
      'offline',
      '2027-05-01T00:00:00.000Z',
      [],
    );
    const edited = 'Mornings beat evenings — but only for the "10-minute" series; KEEP the timer on screen!';
    const { lessons } = approveLessons(draft, { summary: edited, whatWorked: [{ text: 'My own words, as typed.' }] }, undefined, now);
    expect(lessons.summary).toBe(edited);
    const [stored] = learningMemories(lessons, {
      campaignId: lessons.campaignId,
      goalType: 'followers',
      niche: 'fitness',
      durationDays: 7,
      platforms: [{ platform: 'youtube', postsPerWeek: 3 }],
    });
    expect(stored).toMatchObject({ summary: edited, whatWorked: ['My own words, as typed.'], expiresAt: '2027-11-28T00:00:00.000Z' });
  });
});
