import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hookStyles,
  initialStyles,
  isStyleTrue,
  reassignStyles,
  armPosteriors,
  withHook,
  type ExperimentSlot,
  type HookStyle,
} from '../../shared/domain/hook-styles';
import { writeOffline, writerOutputSchema, type PostBrief, type WriterInput } from '../../shared/agents/writer';
import { writerPrompt } from '../../shared/agents/writer/prompt';
import { contentChecks } from '../../shared/domain/content-checks';
import { hookStyleExperiment } from '../../shared/domain/hook-styles';
import { campaignOutcome } from '../../shared/domain/outcome';
import { hardChecks } from '../../shared/domain/platform-rules';
import { normalDraw, seededRandom } from '../../shared/domain/random';
import { platformDefaults } from '../../shared/domain/schedule';
import type { PostExecution } from '../../shared/schemas/execution';
import { platformSchema, type Platform } from '../../shared/schemas/common';

const NOW = '2026-11-10T12:00:00.000Z';
const dueAt = (day: number) => new Date(Date.UTC(2026, 10, day, 18)).toISOString();

describe('hook styles: the initial plan', () => {
  it('is balanced per platform and over the campaign, and the same for the same slots', () => {
    const slots = [
      ...Array.from({ length: 14 }, (_, i) => ({ day: i + 1, platform: 'x' as const })),
      ...Array.from({ length: 6 }, (_, i) => ({ day: 2 * i + 1, platform: 'youtube' as const })),
    ];
    const styles: HookStyle[] = ['question', 'number', 'story'];
    const plan = initialStyles(slots, styles);
    expect(plan.size).toBe(20);
    for (const platform of ['x', 'youtube'] as const) {
      const counts = styles.map(
        (style) => slots.filter((s) => s.platform === platform && plan.get(`${s.day}#${platform}`) === style).length,
      );
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const overall = styles.map((style) => [...plan.values()].filter((value) => value === style).length);
    expect(Math.max(...overall) - Math.min(...overall)).toBeLessThanOrEqual(2);
    expect(initialStyles([...slots].reverse(), styles)).toEqual(plan);
  });
});

describe('hook styles: what each style looks like', () => {
  it.each([
    ['question', 'Could 3 tips fix your budget?', true],
    ['question', '3 tips for your budget.', false],
    ['number', '3 budget tips you can start today.', true],
    ['number', '3 budget tips, want them?', false],
    ['story', 'Picture this: you open your budget app and it finally makes sense.', true],
    ['story', 'Your budget needs 3 changes.', false],
    ['contrarian', 'Stop tracking every coffee: your budget needs 3 rules, not 300 lines.', true],
    ['contrarian', 'Most budgeting advice is wrong for students.', true],
    ['contrarian', 'Stop tracking coffee?', false],
  ] as const)('%s: %s → %s', (style, hook, expected) => {
    expect(isStyleTrue(style, hook)).toBe(expected);
  });
});

describe('hook styles: Thompson sampling', () => {
  it('the posterior of a style moves from the prior (0 ± 1) toward its scores and narrows with them', () => {
    const [question, number] = armPosteriors<HookStyle>(
      [
        { arm: 'question', z: 1 },
        { arm: 'question', z: 1 },
        { arm: 'question', z: 1 },
      ],
      ['question', 'number'],
    );
    expect(question).toMatchObject({ arm: 'question', posts: 3, mean: 0.75 });
    expect(question!.sd).toBeCloseTo(0.5);
    expect(number).toEqual({ arm: 'number', posts: 0, mean: 0, sd: 1 });
  });

  it('changes nothing before a first scored post, and moves open slots toward a style that clearly scores better', () => {
    const slot = (day: number, style: HookStyle, extra: Partial<ExperimentSlot> = {}): ExperimentSlot => ({
      day,
      platform: 'x',
      dueAt: dueAt(day),
      style,
      posted: day < 10,
      approved: false,
      edited: false,
      ...extra,
    });
    const unscored = Array.from({ length: 20 }, (_, i) => slot(i + 1, i % 2 ? 'number' : 'question'));
    expect(reassignStyles(unscored, ['question', 'number'], NOW, seededRandom('a'))).toEqual([]);
    const scored = unscored.map((s) => (s.posted ? { ...s, z: s.style === 'number' ? 2 : -2 } : s));
    const changes = reassignStyles(scored, ['question', 'number'], NOW, seededRandom('a'));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.every((change) => change.from === 'question' && change.to === 'number' && change.day >= 10)).toBe(true);
    expect(changes[0]!.why).toMatch(
      /^Thompson sampling on 9 scored posts: posterior means question -1\.67 ± 0\.41 \(5 scored\), number 1\.60 ± 0\.45 \(4 scored\); this slot drew/,
    );
  });

  const slotArbitrary = fc.record({
    day: fc.integer({ min: 1, max: 90 }),
    platform: fc.constantFrom<Platform>(...platformSchema.options),
    dueAt: fc.integer({ min: 1, max: 30 }).map(dueAt),
    style: fc.constantFrom<HookStyle>(...hookStyles),
    posted: fc.boolean(),
    approved: fc.boolean(),
    edited: fc.boolean(),
    z: fc.option(fc.double({ min: -4, max: 4, noNaN: true }), { nil: undefined }),
  });

  it('never changes a posted, approved, edited or past slot, and only to one of the tested styles (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(slotArbitrary, { selector: (slot) => `${slot.day}#${slot.platform}`, maxLength: 60 }),
        fc.uniqueArray(fc.constantFrom<HookStyle>(...hookStyles), { minLength: 2, maxLength: 3 }),
        fc.string(),
        (slots, styles, seed) => {
          const tested = slots.map((slot) => ({ ...slot, style: styles[slot.day % styles.length]! }));
          const changes = reassignStyles(tested, styles, NOW, seededRandom(seed));
          for (const change of changes) {
            const slot = tested.find((s) => s.day === change.day && s.platform === change.platform)!;
            expect(slot.posted || slot.approved || slot.edited || slot.dueAt <= NOW).toBe(false);
            expect(change.from).toBe(slot.style);
            expect(styles).toContain(change.to);
            expect(change.to).not.toBe(change.from);
          }
          expect(new Set(changes.map((c) => `${c.day}#${c.platform}`)).size).toBe(changes.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is repeatable: same slots and seed, same changes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(slotArbitrary, { selector: (slot) => `${slot.day}#${slot.platform}`, maxLength: 30 }), (slots) => {
        const styles: HookStyle[] = ['story', 'contrarian'];
        const tested = slots.map((slot) => ({ ...slot, style: styles[slot.day % 2]! }));
        expect(reassignStyles(tested, styles, NOW, seededRandom('s'))).toEqual(reassignStyles(tested, styles, NOW, seededRandom('s')));
      }),
      { numRuns: 50 },
    );
  });
});

describe('hook styles: switching the active hook', () => {
  const item = {
    platform: 'x' as const,
    post: 'Could 3 tips fix your budget?\n\nTip one.\n\nFollow for more.',
  };

  it('replaces the opening and keeps the rest', () => {
    expect(withHook(item, 'Could 3 tips fix your budget?', '3 budget tips you can start today.')).toEqual({
      post: '3 budget tips you can start today.\n\nTip one.\n\nFollow for more.',
    });
    const video = {
      platform: 'youtube' as const,
      post: 'Old hook?\n\nDescription.',
      script: { hook: 'Old hook?', body: 'Beat', cta: 'Subscribe' },
    };
    expect(withHook(video, 'Old hook?', 'New hook $1.')).toEqual({
      post: 'New hook $1.\n\nDescription.',
      script: { hook: 'New hook $1.', body: 'Beat', cta: 'Subscribe' },
    });
  });

  it('refuses when the post no longer opens with the hook, or the new one breaks the platform limit', () => {
    expect(withHook(item, 'Another opening?', 'Stop.')).toBeUndefined();
    expect(withHook(item, 'Could 3 tips fix your budget?', 'x'.repeat(300))).toBeUndefined();
  });
});

/** The content checks a hook can fail (the tag and CTA checks are the rest of the post's). */
const HOOK_CHECKS: readonly string[] = [
  'undelivered-count',
  'unstated-claim',
  'claim-beyond-horizon',
  'repeated-hook',
  'repeated-sentences',
];

describe('hook styles: the offline writer', () => {
  const platforms: Platform[] = ['youtube', 'x', 'instagram', 'linkedin', 'blog', 'threads'];
  const topics = [
    'budgeting on a part-time income',
    '3 mistakes with your first credit card',
    'index funds for beginners',
    'cutting grocery costs',
  ];
  const posts: PostBrief[] = topics.flatMap((topic, i) =>
    platforms.map((platform, j) => ({
      day: i + 1,
      platform,
      format: platformDefaults[platform].format,
      pillar: 'Budget basics',
      topic,
      angle: 'simple weekly habits',
      hookStyle: hookStyles[(i + j) % 4]!,
    })),
  );
  const input: WriterInput = {
    strategy: { summary: 'Money habits for students', positioning: 'the no-guilt money coach', pillars: ['Budget basics'] },
    voice: { tone: 'friendly', dos: [], donts: [] },
    language: 'en',
    goal: { type: 'followers', metric: 'Instagram followers', target: 5000 },
    niche: 'personal finance',
    audience: 'university students',
    posts,
    hookStyles,
  };

  it('writes one style-true hook per style, opens each post with its own style, and every hook passes the checks in place', () => {
    const output = writeOffline(input, 'styles');
    expect(writerOutputSchema.safeParse(output).success).toBe(true);
    const all = output.posts.flatMap((post) => Object.values(post.hooks ?? {}));
    expect(new Set(all).size).toBe(posts.length * hookStyles.length);
    output.posts.forEach((post, index) => {
      const brief = posts[index]!;
      for (const style of hookStyles) expect(isStyleTrue(style, post.hooks![style]!), `${style}: ${post.hooks![style]}`).toBe(true);
      expect(post.script?.hook ?? post.post.split('\n')[0]).toBe(post.hooks![brief.hookStyle!]);
      for (const style of hookStyles) {
        const switched = { ...post, ...withHook(post, post.hooks![brief.hookStyle!]!, post.hooks![style]!) };
        const checked = { ...switched, topic: brief.topic, pillar: brief.pillar };
        expect(hardChecks(checked, post.platform, []), `${post.day} ${post.platform} ${style}`).toEqual([]);
        const violations = contentChecks(checked, post.platform, { goal: 'followers', durationDays: 30 }, []);
        expect(
          violations.filter((v) => HOOK_CHECKS.includes(v.code)),
          `${style}: ${post.hooks![style]}`,
        ).toEqual([]);
      }
    });
  });

  it('a rewrite writes new hooks of every style and still opens with its own style', () => {
    const first = writeOffline(input, 'styles');
    const taken = { titles: [], hooks: first.posts.flatMap((post) => Object.values(post.hooks ?? {})) };
    const critiques = posts.slice(0, 6).map(({ day, platform }) => ({ day, platform, score: 3, reasons: ['The hook is weak.'] }));
    const rewrite = writeOffline({ ...input, posts: posts.slice(0, 6), critiques, taken }, 'styles#r1');
    rewrite.posts.forEach((post, index) => {
      for (const style of hookStyles) {
        expect(isStyleTrue(style, post.hooks![style]!), `${style}: ${post.hooks![style]}`).toBe(true);
        expect(taken.hooks).not.toContain(post.hooks![style]);
      }
      expect(post.script?.hook ?? post.post.split('\n')[0]).toBe(post.hooks![posts[index]!.hookStyle!]);
    });
  });

  it('leaves hooks out when no style is tested, and the prompt asks for them only when one is', () => {
    expect(writeOffline({ ...input, hookStyles: undefined }, 'styles').posts.every((post) => post.hooks === undefined)).toBe(true);
    expect(writerPrompt(input)).toContain('contrarian: contradicts common advice');
    expect(writerPrompt({ ...input, hookStyles: undefined })).not.toContain('Hook styles tested');
  });
});

describe('hook styles: the report section', () => {
  /** 30 posts on X, alternating styles; from day 6 on, number hooks draw twice the likes (ln 2 ≈ 0.7 above, σ 0.3). */
  function outcome(planted: number) {
    const random = seededRandom('report');
    const days = Array.from({ length: 40 }, (_, i) => i + 1);
    const style = (day: number): HookStyle => (day % 2 ? 'question' : 'number');
    const posts = days.map((day) => ({
      day,
      platform: 'x' as const,
      date: '2026-10-01',
      localTime: '18:00',
      format: 'post',
      hookStyle: style(day),
      ...(day === 12 && { styleChanges: [{}] }),
    }));
    const executions = days.map((day): PostExecution => ({
      campaignId: 'c',
      day,
      platform: 'x',
      posted: true,
      status: 'posted',
      postedAt: new Date(Date.UTC(2026, 9, day, 18)).toISOString(),
      metrics: { likes: Math.round(200 * Math.exp(0.3 * normalDraw(random) + (style(day) === 'number' ? planted : 0))) },
      history: [],
      version: 1,
      confirmedAt: NOW,
      updatedAt: NOW,
    }));
    return campaignOutcome({
      campaignId: 'c',
      now: NOW,
      goal: { type: 'engagement', metric: 'likes', target: 1000 },
      timeZone: 'UTC',
      posts,
      executions,
      hookStyles: ['question', 'number'],
    }).experiments!.hookStyles;
  }

  it('names the winning style with the evidence of its comparison', () => {
    const section = outcome(Math.log(2));
    expect(section.winner?.style).toBe('number');
    expect(section.winner?.evidence).toMatchObject({ dimension: 'hookStyle', n: { arm: 18, rest: 17 } });
    expect(section.winner?.evidence.confidence).toBe('strong');
    expect(section.winner?.evidence).not.toHaveProperty('postIds');
    expect(section.verdict).toMatch(
      /^Number hooks won: Number hooks scored [\d.]+ baseline units above question hooks \(18 posts against 17 posts; 99\.\d+ % interval/,
    );
    expect(section.reassignments).toBe(1);
    expect(section.arms).toEqual([
      { style: 'question', slots: 20, scored: 17, meanScore: expect.any(Number) },
      { style: 'number', slots: 20, scored: 18, meanScore: expect.any(Number) },
    ]);
  });

  it('says no winner yet, and why, when the styles do not differ or are too few', () => {
    expect(outcome(0).verdict).toMatch(/^No winner yet: no clear difference between number hooks and question hooks/);
    const few = hookStyleExperiment(['story', 'contrarian'], [{ day: 1, platform: 'x', hookStyle: 'story' }], new Map(), []);
    expect(few).toEqual({
      styles: ['story', 'contrarian'],
      arms: [
        { style: 'story', slots: 1, scored: 0 },
        { style: 'contrarian', slots: 0, scored: 0 },
      ],
      reassignments: 0,
      verdict: 'No winner yet: not enough scored posts per style (story 0, contrarian 0; 5 a side needed).',
    });
  });
});
