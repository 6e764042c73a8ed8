import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPlaceholder,
  graphemeLength,
  imageViolations,
  hardChecks,
  hardMax,
  hashtagsOf,
  measure,
  needsThumbnail,
  normalizeForComparison,
  platformGuidance,
  platformRules,
  requiresScript,
  threadsLength,
  UNIVERSAL_LIMITS,
  xWeightedLength,
  youtubeTagsLength,
  type CheckablePost,
} from '../../shared/domain/platform-rules';
import { platformSchema, type Platform } from '../../shared/schemas/common';
import { contentEditFields, scriptSchema } from '../../shared/schemas/content';

const PLATFORMS = platformSchema.options;
const codes = (post: CheckablePost, platform: Platform, others: Parameters<typeof hardChecks>[2] = []) =>
  hardChecks(post, platform, others).map((violation) => violation.code);

const script = { hook: 'Are you making these 3 budgeting mistakes?', body: 'Problem.\nIdea.\nSteps.', cta: 'Subscribe for more.' };
const good = (overrides: Partial<CheckablePost> = {}): CheckablePost => ({
  day: 1,
  format: 'post',
  title: 'Budgeting for students: 3 steps',
  post: 'What if budgeting took 3 minutes a day?\n\nFollow for more money tips.',
  seoTags: ['budgeting'],
  cta: 'Follow for more money tips.',
  ...overrides,
});

describe('the limits table', () => {
  it('holds each platform’s published limits', () => {
    const max = (platform: Platform, field: 'title' | 'post') => hardMax(platformRules[platform][field]);
    expect(max('youtube', 'title')).toMatchObject({ max: 100, unit: 'utf16' });
    expect(platformRules.youtube.post).toContainEqual(expect.objectContaining({ max: 5000, unit: 'utf8-bytes', kind: 'hard' }));
    expect(platformRules.youtube.maxTagsTotalChars).toBe(500);
    expect(platformRules.youtube.forbiddenChars).toBe('<>');
    expect(max('x', 'post')).toMatchObject({ max: 280, unit: 'x-weighted' });
    expect(max('instagram', 'post')).toMatchObject({ max: 2200 });
    expect(platformRules.instagram.maxHashtags).toBe(30);
    expect(platformRules.instagram.maxMentions).toBe(20);
    expect(max('tiktok', 'post')).toMatchObject({ max: 2200 });
    expect(max('linkedin', 'post')).toMatchObject({ max: 3000 });
    expect(max('threads', 'post')).toMatchObject({ max: 500, unit: 'threads' });
    expect(platformRules.threads.maxHashtags).toBe(1);
    expect(max('bluesky', 'post')).toMatchObject({ max: 300, unit: 'graphemes' });
    expect(platformRules.bluesky.post).toContainEqual(expect.objectContaining({ max: 3000, unit: 'utf8-bytes', kind: 'hard' }));
    expect(platformRules.bluesky.images).toMatchObject({ maxCount: 4, maxBytes: 1_000_000, altRequired: true });
    expect(platformRules.facebook.post).toContainEqual(expect.objectContaining({ max: 63_206 }));
    expect(max('facebook', 'post').max).toBe(UNIVERSAL_LIMITS.post);
    expect(platformRules.blog.title).toContainEqual(expect.objectContaining({ max: 70, kind: 'soft' }));
  });

  it('names a source for every limit and keeps the guidance inside the hard limits', () => {
    for (const platform of PLATFORMS) {
      const rules = platformRules[platform];
      for (const limit of [...rules.title, ...rules.post]) expect(limit.source.length, `${platform} ${limit.max}`).toBeGreaterThan(10);
      expect(platformGuidance[platform].postChars[1]).toBeLessThanOrEqual(hardMax(rules.post).max);
      if (rules.maxHashtags) expect(platformGuidance[platform].tags[1]).toBeLessThanOrEqual(rules.maxHashtags);
    }
  });

  it('agrees with the content schema’s caps', () => {
    const fits = (schema: { safeParse(v: unknown): { success: boolean } }, length: number) => schema.safeParse('a'.repeat(length)).success;
    expect([fits(contentEditFields.title, UNIVERSAL_LIMITS.title), fits(contentEditFields.title, UNIVERSAL_LIMITS.title + 1)]).toEqual([
      true,
      false,
    ]);
    expect([fits(contentEditFields.post, UNIVERSAL_LIMITS.post), fits(contentEditFields.post, UNIVERSAL_LIMITS.post + 1)]).toEqual([
      true,
      false,
    ]);
    expect([fits(contentEditFields.cta, UNIVERSAL_LIMITS.cta), fits(contentEditFields.cta, UNIVERSAL_LIMITS.cta + 1)]).toEqual([
      true,
      false,
    ]);
    expect(contentEditFields.seoTags.safeParse(Array(UNIVERSAL_LIMITS.seoTagCount + 1).fill('a')).success).toBe(false);
    expect(contentEditFields.seoTags.safeParse(['a'.repeat(UNIVERSAL_LIMITS.seoTagChars + 1)]).success).toBe(false);
    expect(scriptSchema.safeParse({ hook: 'a'.repeat(UNIVERSAL_LIMITS.hook + 1), body: 'b', cta: 'c' }).success).toBe(false);
    expect(scriptSchema.safeParse({ hook: 'a', body: 'b'.repeat(UNIVERSAL_LIMITS.body + 1), cta: 'c' }).success).toBe(false);
  });

  it('asks for a script on video formats and a thumbnail at least on YouTube and the blog', () => {
    expect(PLATFORMS.filter((platform) => platformRules[platform].needsScript).sort()).toEqual(['instagram', 'tiktok', 'youtube']);
    expect(requiresScript('youtube', 'video')).toBe(true);
    expect(requiresScript('tiktok', 'short video')).toBe(true);
    expect(requiresScript('instagram', 'reel')).toBe(true);
    expect(requiresScript('instagram', 'carousel')).toBe(false);
    expect(requiresScript('x', 'post')).toBe(false);
    expect(requiresScript('blog')).toBe(false);
    expect(needsThumbnail('youtube') && needsThumbnail('blog')).toBe(true);
  });
});

describe('measuring text', () => {
  it('counts X’s weighted characters: Latin 1, CJK and emoji 2, a URL 23', () => {
    expect(xWeightedLength('a'.repeat(280))).toBe(280);
    expect(xWeightedLength('日'.repeat(140))).toBe(280);
    expect(xWeightedLength('see https://example.com/a/very/long/path/that/goes/on')).toBe(4 + 23);
    expect(xWeightedLength('👨‍👩‍👧‍👦')).toBe(2);
    expect(xWeightedLength('é')).toBe(1);
  });

  it('counts Bluesky text in graphemes: an emoji family, a flag, a letter with its accent are one each', () => {
    expect(graphemeLength('👨‍👩‍👧‍👦')).toBe(1);
    expect(graphemeLength('🇫🇷')).toBe(1);
    expect(graphemeLength('e\u0301')).toBe(1);
    expect(graphemeLength('日本')).toBe(2);
    expect(measure('hi 👋', 'graphemes')).toBe(4);
  });

  it('never counts more graphemes than code points, and adds up over joined ASCII words (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(graphemeLength(text)).toBeLessThanOrEqual([...text].length);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'grapheme-ascii' }), (a, b) => {
        expect(graphemeLength(`${a} ${b}`)).toBe(graphemeLength(a) + 1 + graphemeLength(b));
      }),
    );
  });

  it('counts Threads emoji as UTF-8 bytes and YouTube descriptions in bytes', () => {
    expect(threadsLength('hi 👋')).toBe(3 + 4);
    expect(measure('é'.repeat(10), 'utf8-bytes')).toBe(20);
  });

  it('counts YouTube tags with commas and quotes', () => {
    expect(youtubeTagsLength(['a b', 'c'])).toBe(3 + 2 + 1 + 1);
    expect(youtubeTagsLength([])).toBe(0);
  });

  it('finds hashtags, not anchors or words with # inside', () => {
    expect(hashtagsOf('#one two #Two\n#three C#sharp a&#39;')).toEqual(['one', 'two', 'three']);
  });

  it('compares titles ignoring case, accents and punctuation', () => {
    expect(normalizeForComparison('Café Budgets: 3 Steps!')).toBe(normalizeForComparison('cafe budgets — 3 steps'));
  });

  it('recognizes placeholder text but not ordinary words', () => {
    expect(findPlaceholder('Lorem ipsum dolor')).toBeDefined();
    expect(findPlaceholder('TODO: write this')).toBeDefined();
    expect(findPlaceholder('Grab it here: [insert link]')).toBeDefined();
    expect(findPlaceholder('Hi {{name}}')).toBeDefined();
    expect(findPlaceholder('My todo list for a calm week')).toBeUndefined();
  });
});

describe('hardChecks', () => {
  it('passes a complete post within limits', () => {
    for (const platform of ['x', 'linkedin', 'threads', 'facebook'] as const) expect(codes(good(), platform), platform).toEqual([]);
    expect(codes(good({ format: 'video', script }), 'youtube')).toEqual([]);
  });

  it('holds a Bluesky post to 300 graphemes, however many code units they take', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 code units, 25 UTF-8 bytes, one grapheme
    expect(codes(good({ post: 'a'.repeat(300) }), 'bluesky')).toEqual([]);
    expect(codes(good({ post: 'a'.repeat(301) }), 'bluesky')).toEqual(['post-too-long']);
    expect(codes(good({ post: family.repeat(119) }), 'bluesky')).toEqual([]);
    expect(hardChecks(good({ post: 'a'.repeat(301) }), 'bluesky', [])[0]?.message).toBe('The post is 301 characters; Bluesky allows 300.');
    expect(codes(good({ post: family.repeat(121) }), 'bluesky')).toEqual(['post-too-long']);
  });

  it('flags an X post over 280 weighted characters', () => {
    const long = good({ post: 'a'.repeat(281) });
    expect(codes(long, 'x')).toEqual(['post-too-long']);
    expect(hardChecks(long, 'x', [])[0]?.message).toContain('280');
    expect(codes(good({ post: 'a'.repeat(280) }), 'x')).toEqual([]);
    // 141 CJK characters are 141 code units but 282 weighted characters.
    expect(codes(good({ post: '日'.repeat(141) }), 'x')).toEqual(['post-too-long']);
    expect(codes(good({ post: '日'.repeat(141) }), 'linkedin')).toEqual([]);
  });

  it('flags a YouTube video without a script, but not a text post', () => {
    expect(codes(good({ format: 'video' }), 'youtube')).toEqual(['missing-script']);
    expect(codes(good({ format: 'video', script: { ...script, body: ' ' } }), 'youtube')).toEqual(['missing-script']);
    expect(codes(good({ format: 'reel' }), 'instagram')).toEqual(['missing-script']);
    expect(codes(good(), 'x')).toEqual([]);
  });

  it('flags missing title, text and call to action', () => {
    expect(codes({ day: 1, format: 'post' }, 'linkedin')).toEqual(['missing-title', 'missing-post', 'missing-cta']);
  });

  it('flags a title used on another day, compared normalized, and not one shared on the same day', () => {
    const other = { day: 3, platform: 'youtube' as const, title: 'budgeting for STUDENTS — 3 steps!' };
    const violations = hardChecks(good(), 'x', [other]);
    expect(violations.map((v) => v.code)).toEqual(['duplicate-title']);
    expect(violations[0]?.message).toContain('day 3');
    expect(codes(good(), 'x', [{ ...other, day: 1 }])).toEqual([]);
    expect(codes(good(), 'x', [good()])).toEqual([]);
  });

  it('flags a hook used on another day: a script hook or a post’s first line', () => {
    expect(codes(good(), 'x', [{ day: 2, script: { hook: 'What if budgeting took 3 minutes a day?' } }])).toEqual(['duplicate-hook']);
    expect(codes(good({ format: 'video', script }), 'youtube', [{ day: 2, post: `${script.hook}\n\nmore` }])).toEqual(['duplicate-hook']);
  });

  it('flags 31 hashtags on Instagram (caption and tags together) and accepts 30', () => {
    const tags = Array.from({ length: 31 }, (_, i) => `tag${i}`);
    const caption = (n: number) =>
      `Budget better this week.\n\n${tags
        .slice(0, n)
        .map((t) => `#${t}`)
        .join(' ')}`;
    expect(codes(good({ format: 'reel', script, post: caption(31), seoTags: [] }), 'instagram')).toEqual(['too-many-hashtags']);
    expect(codes(good({ format: 'reel', script, post: caption(30), seoTags: tags.slice(0, 30) }), 'instagram')).toEqual([]);
    expect(codes(good({ format: 'reel', script, post: caption(30), seoTags: ['extra'] }), 'instagram')).toEqual(['too-many-hashtags']);
  });

  it('allows one topic tag on Threads', () => {
    expect(codes(good({ post: 'One idea. #budgeting', seoTags: ['budgeting'] }), 'threads')).toEqual([]);
    expect(codes(good({ post: 'One idea. #budgeting #money', seoTags: ['budgeting'] }), 'threads')).toEqual(['too-many-hashtags']);
  });

  it('flags YouTube tags over 500 characters in total, too many tags and a tag too long', () => {
    const tags = Array.from({ length: 25 }, (_, i) => `budget tip ${i}`.padEnd(20, 'x'));
    expect(codes(good({ format: 'video', script, seoTags: tags }), 'youtube')).toEqual(['tags-too-long']);
    expect(codes(good({ seoTags: Array.from({ length: 31 }, (_, i) => `t${i}`) }), 'linkedin')).toEqual(['too-many-tags']);
    expect(codes(good({ seoTags: ['a'.repeat(101)] }), 'linkedin')).toEqual(['tag-too-long']);
  });

  it('flags a YouTube title over 100, a description over 5000 bytes and angle brackets', () => {
    expect(codes(good({ format: 'video', script, title: 'a'.repeat(101) }), 'youtube')).toEqual(['title-too-long']);
    expect(codes(good({ format: 'video', script, post: 'é'.repeat(2600) }), 'youtube')).toEqual(['post-too-long']);
    expect(codes(good({ format: 'video', script, title: 'Budgets <3' }), 'youtube')).toEqual(['forbidden-characters']);
  });

  it('flags placeholder text anywhere', () => {
    expect(codes(good({ post: 'Lorem ipsum dolor sit amet.' }), 'x')).toEqual(['placeholder-text']);
    expect(codes(good({ cta: 'TODO' }), 'x')).toEqual(['placeholder-text']);
    expect(codes(good({ cta: 'Download it: [insert link]' }), 'x')).toEqual(['placeholder-text']);
  });

  it('reports the blog’s SEO title length as soft', () => {
    const violations = hardChecks(good({ format: 'article', title: 'a'.repeat(71) }), 'blog', []);
    expect(violations).toEqual([expect.objectContaining({ code: 'title-over-seo-length', severity: 'soft' })]);
  });
});

describe('imageViolations', () => {
  const image = (overrides: Partial<{ byteLength: number; mimeType: string; alt: string }> = {}) => ({
    byteLength: 200_000,
    mimeType: 'image/png',
    alt: 'A chart of monthly savings',
    ...overrides,
  });
  const codesOf = (...args: Parameters<typeof imageViolations>) => imageViolations(...args).map((violation) => violation.code);

  it('lets Bluesky take up to 4 images of at most 1,000,000 bytes, each with alt text', () => {
    expect(codesOf('bluesky', [image(), image(), image(), image({ byteLength: 1_000_000 })])).toEqual([]);
    expect(codesOf('bluesky', [image(), image(), image(), image(), image()])).toEqual(['too-many-images']);
    expect(codesOf('bluesky', [image({ byteLength: 1_000_001 })])).toEqual(['image-too-large']);
    expect(codesOf('bluesky', [image({ alt: '  ' })])).toEqual(['missing-alt-text']);
    expect(codesOf('bluesky', [image({ mimeType: 'image/svg+xml' })])).toEqual(['image-type']);
  });

  it('says which image breaks which rule, and refuses images where Crescendo publishes none', () => {
    expect(imageViolations('bluesky', [image(), image({ byteLength: 2_000_000, alt: '' })]).map((violation) => violation.message)).toEqual([
      'Image 2 is 2000000 bytes; Bluesky takes at most 1000000.',
      'Image 2 has no alt text.',
    ]);
    expect(codesOf('youtube', [image()])).toEqual(['images-not-supported']);
    expect(codesOf('youtube', [])).toEqual([]);
  });
});
