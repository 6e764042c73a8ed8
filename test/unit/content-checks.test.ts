import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentChecks, listsOf, longestClaimDays, promisedCounts, similarity, type ContentPost } from '../../shared/domain/content-checks';
import { nicheFamily } from '../../shared/domain/niche-family';
import { CLEAN_POSTS, PLANTED_POSTS } from '../fixtures/content/planted';
import { DEFECT_CLASSES } from '../fixtures/content/types';
import { judgeFixture } from '../bench/quality';

const judge = judgeFixture;

describe('content checks against the planted-defect set', () => {
  it('passes ≥ 95 % of the clean posts', () => {
    const flagged = CLEAN_POSTS.filter((fixture) => judge(fixture).violations.length > 0).map((fixture) => fixture.id);
    expect(flagged.length / CLEAN_POSTS.length, flagged.join(', ')).toBeLessThanOrEqual(0.05);
  });

  it.each(DEFECT_CLASSES)('flags ≥ 95 %% of the planted %s defects, each capping the score', (defect) => {
    const planted = PLANTED_POSTS.filter((fixture) => fixture.defect === defect);
    const missed = planted.filter((fixture) => judge(fixture).violations.length === 0).map((fixture) => fixture.id);
    expect(missed.length / planted.length, missed.join(', ')).toBeLessThanOrEqual(0.05);
    for (const fixture of planted.filter((fixture) => !missed.includes(fixture.id))) expect(judge(fixture).score).toBeLessThanOrEqual(4);
  });
});

const post = (fields: Partial<ContentPost> = {}): ContentPost => ({
  day: 3,
  platform: 'x',
  title: 'Grocery costs',
  post: 'Cutting grocery costs without coupons.\n\nFollow for more.\n\n#studentbudget #groceries',
  seoTags: ['studentbudget', 'groceries'],
  cta: 'Follow for more.',
  topic: 'cutting grocery costs',
  pillar: 'Saving on groceries',
  ...fields,
});
const context = { goal: 'followers' as const, niche: 'personal finance for students', durationDays: 30 };
const codes = (fields: Partial<ContentPost>, extra = {}, others = []) =>
  contentChecks(post(fields), fields.platform ?? 'x', { ...context, ...extra }, others).map((violation) => violation.code);

describe('promise against delivery', () => {
  it('reads counts in digits and words, with up to three words before the noun', () => {
    expect(promisedCounts('Are you making these 3 budget mistakes?')).toEqual([{ count: 3, noun: 'mistakes' }]);
    expect(promisedCounts('Five quick weeknight tips and 2 tools')).toEqual([
      { count: 5, noun: 'tips' },
      { count: 2, noun: 'tools' },
    ]);
    expect(promisedCounts('30 days taught me this')).toEqual([]);
  });

  it('counts list items in runs, blank lines inside a run allowed', () => {
    expect(listsOf('Intro\n1. one thing\n\n2. two things\nOutro\n- a\n- bb item').map((list) => list.length)).toEqual([2, 1]);
    expect(listsOf('Step 1: do this\nStep 2: do that\nMistake 1: this one')).toEqual([['do this', 'do that', 'this one']]);
  });

  it('wants exactly the promised count in the post and the script', () => {
    const listed = 'Hook\n\n1. Store-brand oats\n2. Frozen spinach\n3. Dried lentils\n\nFollow for more.\n\n#studentbudget #groceries';
    expect(codes({ title: '3 swaps', post: listed })).toEqual([]);
    expect(codes({ title: '3 tips for groceries', post: listed })).toEqual([]);
    expect(codes({ title: '4 tips for groceries', post: listed })).toEqual(['undelivered-count']);
    const script = { hook: '3 tips for groceries', body: 'Tip 1: oats\nTip 2: spinach', cta: 'Follow for more.' };
    expect(codes({ platform: 'tiktok', post: listed, script, seoTags: ['studentbudget', 'groceries', 'savemoney'] })).toEqual([
      'undelivered-count',
    ]);
  });

  it('wants a stance stated in the body', () => {
    expect(codes({ title: 'The grocery advice I disagree with' })).toEqual(['unstated-claim']);
    expect(
      codes({
        title: 'The grocery advice I disagree with',
        post: post().post.replace('Cutting', 'You have heard "buy in bulk to save". Cutting'),
      }),
    ).toEqual([]);
  });
});

describe('time claims', () => {
  it('finds the longest claimed span', () => {
    expect(longestClaimDays('Grocery costs: what 90 days taught me')).toBe(90);
    expect(longestClaimDays('After three years of coaching, and a year ago I…')).toBe(3 * 365);
    expect(longestClaimDays('Save 6 months of expenses; €10 a week; review after seven days')).toBe(7);
  });

  it('holds claims to the campaign, or the creator’s stated history', () => {
    expect(codes({ title: 'Groceries: what 60 days taught me' })).toEqual(['claim-beyond-horizon']);
    expect(codes({ title: 'Groceries: what 60 days taught me' }, { historyDays: 365 })).toEqual([]);
  });
});

describe('repetition', () => {
  it('is a symmetric similarity in [0, 1], 1 for the same words', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const s = similarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(similarity(b, a)).toBeCloseTo(s);
      }),
    );
    expect(similarity('Three budget mistakes students make', 'three budget mistakes students make!')).toBe(1);
  });

  it('flags a close title or copied sentences of an earlier post, not of a later one', () => {
    const earlier = { day: 1, platform: 'x' as const, title: 'How to cut grocery costs on a student budget', post: 'Other text.' };
    expect(codes({ title: 'How to cut grocery costs on a student budget today' }, {}, [earlier] as never)).toEqual(['repeated-title']);
    expect(codes({ title: 'How to cut grocery costs on a student budget today' }, {}, [{ ...earlier, day: 9 }] as never)).toEqual([]);
    const copied = { day: 1, platform: 'x' as const, title: 'Other', post: 'Cutting grocery costs without coupons.' };
    expect(codes({}, {}, [copied] as never)).toEqual(['repeated-sentences']);
  });
});

describe('tags and the call to action', () => {
  it('wants niche and topic tags without fragments, in the platform’s count', () => {
    expect(codes({ seoTags: ['see', 'groceries'] })).toContain('tag-fragment');
    expect(codes({ seoTags: ['viral', 'fyp'] })).toEqual(expect.arrayContaining(['tag-fragment', 'tags-miss-niche', 'tags-miss-topic']));
    expect(codes({ seoTags: ['studentbudget', 'groceries', 'money'] })).toEqual(['tag-count']);
    expect(nicheFamily('indie game development')).toBe('gaming');
    expect(nicheFamily('weeknight home cooking')).toBe('food');
    expect(nicheFamily('origami for kids')).toBe('general');
  });

  it('wants the goal’s action', () => {
    expect(codes({ cta: 'Buy the planner today.' })).toEqual(['cta-off-goal']);
    expect(codes({ cta: 'Download the checklist.' }, { goal: 'leads' })).toEqual([]);
    expect(codes({ cta: 'Wishlist it on Steam.' }, { goal: 'launch' })).toEqual([]);
  });
});
