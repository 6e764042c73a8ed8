import { platformLabels, type Platform } from '../schemas/common';

/**
 * What each platform accepts, as data, and the checks computed in code (never asked of a model)
 * that every drafted post must pass. Pure.
 *
 * Sources (as published by each platform; figures re-checked 2026):
 * - YouTube: Data API `videos` resource — snippet.title ≤ 100 characters, snippet.description
 *   ≤ 5000 bytes, neither may contain `<` or `>`; snippet.tags ≤ 500 characters in total, where the
 *   commas between tags count and a tag containing a space counts as if wrapped in quotes.
 *   https://developers.google.com/youtube/v3/docs/videos
 * - X: 280 weighted characters (twitter-text v3: most Latin/Cyrillic/punctuation weigh 1, CJK and
 *   emoji weigh 2, every URL weighs 23). https://developer.x.com/en/docs/counting-characters
 * - Instagram: Graph API media `caption` ≤ 2200 characters, ≤ 30 hashtags, ≤ 20 @-mentions.
 *   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
 * - TikTok: 2200 characters. The Content Posting API's `post_info.title` (the caption of a video
 *   post) takes at most 2200 UTF-16 runes; the app lets some accounts type up to 4000, but an API
 *   post is held to 2200, so 2200 is the figure a post we hand over must meet.
 *   https://developers.tiktok.com/doc/content-posting-api-reference-direct-post
 * - LinkedIn: a post ≤ 3000 characters (LinkedIn Help, "Share a post on LinkedIn"); the feed
 *   folds a post after about 210 characters ("…see more"), so the hook belongs in the first line.
 * - Threads: text ≤ 500 characters, emoji counted as their UTF-8 bytes; one topic tag per post
 *   (a second hashtag is not a tag). https://developers.facebook.com/docs/threads/posts
 * - Bluesky: the `app.bsky.feed.post` record's `text` is `maxGraphemes: 300, maxLength: 3000`
 *   (lexicon string lengths: graphemes, and UTF-8 bytes); up to 4 images per post
 *   (`app.bsky.embed.images`: `images` maxLength 4), each with its `alt` text (a required field,
 *   empty allowed: we require it non-empty). Image size: the lexicon's blob `maxSize` was
 *   1,000,000 bytes and is 2,000,000 in the current one (@atproto/pds 0.5); we hold images to the
 *   1,000,000 bytes every App View and PDS version accepts.
 *   https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json
 *   https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/images.json
 * - Facebook: 63,206 characters is the platform's hard limit for a Page or profile post; it is
 *   never the binding one here, because every stored post is capped at 5000 characters by the
 *   content schema (UNIVERSAL_LIMITS.post), which is the practical cap we enforce.
 * - Blog: no platform limit; a title over ~60–70 characters is cut off in search results
 *   (Google shows ~600 px), so 70 is a soft SEO limit, reported but not capping the score.
 */

/** How a limit counts: UTF-16 code units (what JavaScript's `length` and TikTok count), X's weighted count, UTF-8 bytes, Threads' count, or graphemes (what a reader sees as one character; Bluesky). */
export type LengthUnit = 'utf16' | 'x-weighted' | 'utf8-bytes' | 'threads' | 'graphemes';

export interface TextLimit {
  max: number;
  unit: LengthUnit;
  /** `hard`: the platform (or our store) rejects or cuts the text; `soft`: guidance, e.g. SEO. */
  kind: 'hard' | 'soft';
  source: string;
}

/** What a post's `seoTags` are on a platform. */
export type TagKind = 'video-tags' | 'hashtags' | 'keywords';

export interface PlatformRules {
  platform: Platform;
  /** What the `post` field holds there. */
  postRole: 'description' | 'caption' | 'post' | 'article';
  /** Whether the title is published (YouTube, blog) or only labels the item for the creator. */
  titlePublished: boolean;
  /** Title limits, strictest last; the content schema's 200 applies everywhere. */
  title: readonly TextLimit[];
  post: readonly TextLimit[];
  tagKind: TagKind;
  /** YouTube's total budget over all tags (commas and quotes counted, see youtubeTagsLength). */
  maxTagsTotalChars?: number;
  /** Hashtags in the caption and seoTags together (distinct, case-insensitive). */
  maxHashtags?: number;
  maxMentions?: number;
  /** Characters the platform refuses in title and post. */
  forbiddenChars?: string;
  /** A video format (video, short video, reel) needs a script. */
  needsScript: boolean;
  /** A thumbnail or cover image is part of a good post there (not just allowed). */
  needsThumbnail: boolean;
  /** What a published post may carry as images (platforms Crescendo publishes to). */
  images?: ImageRules;
}

export interface ImageRules {
  maxCount: number;
  maxBytes: number;
  mimeTypes: readonly string[];
  /** Every image needs a non-empty alt text. */
  altRequired: boolean;
  source: string;
}

/** The content schema's caps (shared/schemas/content.ts contentEditFields/scriptSchema), for every platform. */
export const UNIVERSAL_LIMITS = {
  title: 200,
  post: 5000,
  cta: 300,
  seoTagCount: 30,
  seoTagChars: 100,
  hook: 500,
  body: 8000,
  scriptCta: 500,
} as const;

const SCHEMA = 'content schema cap (shared/schemas/content.ts)';
const schemaTitle: TextLimit = { max: UNIVERSAL_LIMITS.title, unit: 'utf16', kind: 'hard', source: SCHEMA };
const schemaPost: TextLimit = { max: UNIVERSAL_LIMITS.post, unit: 'utf16', kind: 'hard', source: SCHEMA };

export const platformRules: Record<Platform, PlatformRules> = {
  youtube: {
    platform: 'youtube',
    postRole: 'description',
    titlePublished: true,
    title: [schemaTitle, { max: 100, unit: 'utf16', kind: 'hard', source: 'YouTube Data API videos: snippet.title max 100 characters' }],
    post: [
      schemaPost,
      { max: 5000, unit: 'utf8-bytes', kind: 'hard', source: 'YouTube Data API videos: snippet.description max 5000 bytes' },
    ],
    tagKind: 'video-tags',
    maxTagsTotalChars: 500,
    forbiddenChars: '<>',
    needsScript: true,
    needsThumbnail: true,
  },
  instagram: {
    platform: 'instagram',
    postRole: 'caption',
    titlePublished: false,
    title: [schemaTitle],
    post: [schemaPost, { max: 2200, unit: 'utf16', kind: 'hard', source: 'Instagram Graph API media: caption max 2200 characters' }],
    tagKind: 'hashtags',
    maxHashtags: 30,
    maxMentions: 20,
    needsScript: true,
    needsThumbnail: true,
  },
  tiktok: {
    platform: 'tiktok',
    postRole: 'caption',
    titlePublished: false,
    title: [schemaTitle],
    post: [
      schemaPost,
      { max: 2200, unit: 'utf16', kind: 'hard', source: 'TikTok Content Posting API: post_info.title max 2200 UTF-16 runes' },
    ],
    tagKind: 'hashtags',
    needsScript: true,
    needsThumbnail: true,
  },
  x: {
    platform: 'x',
    postRole: 'post',
    titlePublished: false,
    title: [schemaTitle],
    post: [schemaPost, { max: 280, unit: 'x-weighted', kind: 'hard', source: 'X counting characters: 280 weighted (twitter-text v3)' }],
    tagKind: 'hashtags',
    needsScript: false,
    needsThumbnail: false,
  },
  linkedin: {
    platform: 'linkedin',
    postRole: 'post',
    titlePublished: false,
    title: [schemaTitle],
    post: [schemaPost, { max: 3000, unit: 'utf16', kind: 'hard', source: 'LinkedIn: post commentary max 3000 characters' }],
    tagKind: 'hashtags',
    needsScript: false,
    needsThumbnail: true,
  },
  threads: {
    platform: 'threads',
    postRole: 'post',
    titlePublished: false,
    title: [schemaTitle],
    post: [
      schemaPost,
      { max: 500, unit: 'threads', kind: 'hard', source: 'Threads API: text posts max 500 characters, emoji counted as UTF-8 bytes' },
    ],
    tagKind: 'hashtags',
    maxHashtags: 1,
    needsScript: false,
    needsThumbnail: false,
  },
  bluesky: {
    platform: 'bluesky',
    postRole: 'post',
    titlePublished: false,
    title: [schemaTitle],
    post: [
      schemaPost,
      { max: 3000, unit: 'utf8-bytes', kind: 'hard', source: 'Bluesky lexicon app.bsky.feed.post: text maxLength 3000 (UTF-8 bytes)' },
      { max: 300, unit: 'graphemes', kind: 'hard', source: 'Bluesky lexicon app.bsky.feed.post: text maxGraphemes 300' },
    ],
    tagKind: 'hashtags',
    needsScript: false,
    needsThumbnail: true,
    images: {
      maxCount: 4,
      maxBytes: 1_000_000,
      mimeTypes: ['image/png', 'image/jpeg', 'image/webp'],
      altRequired: true,
      source: 'Bluesky lexicon app.bsky.embed.images: at most 4 images, each a blob with alt text; 1,000,000 bytes each',
    },
  },
  facebook: {
    platform: 'facebook',
    postRole: 'post',
    titlePublished: false,
    title: [schemaTitle],
    // 63,206 is Facebook's own limit; the content schema's 5000 is the binding (practical) cap.
    post: [{ max: 63_206, unit: 'utf16', kind: 'hard', source: 'Facebook post hard limit 63,206 characters' }, schemaPost],
    tagKind: 'hashtags',
    needsScript: false,
    needsThumbnail: true,
  },
  blog: {
    platform: 'blog',
    postRole: 'article',
    titlePublished: true,
    title: [schemaTitle, { max: 70, unit: 'utf16', kind: 'soft', source: 'SEO: search results cut titles at ~600 px (~60–70 characters)' }],
    post: [schemaPost],
    tagKind: 'keywords',
    needsScript: false,
    needsThumbnail: true,
  },
};

/**
 * Editorial guidance (not platform limits): the post length and tag count that read well on each
 * platform. The critic scores "length fit" against it and the writer's offline twin aims for it.
 */
export const platformGuidance: Record<Platform, { postChars: readonly [number, number]; tags: readonly [number, number] }> = {
  youtube: { postChars: [400, 2500], tags: [8, 15] },
  instagram: { postChars: [250, 1500], tags: [5, 15] },
  tiktok: { postChars: [80, 400], tags: [3, 6] },
  x: { postChars: [90, 280], tags: [1, 2] },
  linkedin: { postChars: [600, 2000], tags: [3, 5] },
  threads: { postChars: [100, 500], tags: [1, 1] },
  bluesky: { postChars: [90, 300], tags: [1, 2] },
  facebook: { postChars: [150, 900], tags: [1, 3] },
  blog: { postChars: [1200, 5000], tags: [5, 10] },
};

const VIDEO_FORMAT = /\b(video|reels?|shorts?|live|stream)\b/i;

/** A video post needs a script: its format says video (video, short video, reel), or, without a format, its platform is a video platform. */
export function requiresScript(platform: Platform, format?: string): boolean {
  return format === undefined ? platformRules[platform].needsScript : VIDEO_FORMAT.test(format);
}

export function needsThumbnail(platform: Platform): boolean {
  return platformRules[platform].needsThumbnail;
}

/** The strictest hard limit on a platform's post (or title); at equal figures, the one counted in bytes or weighted characters. */
export function hardMax(limits: readonly TextLimit[]): TextLimit {
  const hard = limits.filter((limit) => limit.kind === 'hard');
  return hard.reduce((a, b) => (b.max < a.max || (b.max === a.max && a.unit === 'utf16' && b.unit !== 'utf16') ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Measuring text

// Built at the first measure, not at load: a Segmenter loads ICU's break rules (about 7 ms of every
// cold start of the functions that import these rules, most of which never measure text).
let segmenter: Intl.Segmenter | undefined;
const graphemes = (text: string) => (segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' })).segment(text);
const EMOJI = /\p{Extended_Pictographic}/u;
const URL = /\bhttps?:\/\/[^\s]+|\bwww\.[^\s]+/giu;
const utf8 = new TextEncoder();

/** twitter-text v3: code points in these ranges weigh 1, everything else 2; an emoji sequence 2. */
const X_LIGHT: readonly (readonly [number, number])[] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];

function xWeight(codePoint: number): number {
  return X_LIGHT.some(([from, to]) => codePoint >= from && codePoint <= to) ? 1 : 2;
}

/** X's weighted length: URLs count 23, an emoji (even a ZWJ sequence) 2, CJK 2, Latin 1. */
export function xWeightedLength(text: string): number {
  let total = 0;
  const withoutUrls = text.normalize('NFC').replace(URL, () => {
    total += 23;
    return '';
  });
  for (const { segment } of graphemes(withoutUrls)) {
    if (EMOJI.test(segment)) total += 2;
    else for (const char of segment) total += xWeight(char.codePointAt(0) ?? 0);
  }
  return total;
}

/** Graphemes: what a reader sees as one character (an emoji ZWJ sequence, a letter with its combining marks), as Intl.Segmenter splits them. */
export function graphemeLength(text: string): number {
  let total = 0;
  for (const _ of graphemes(text)) total++;
  return total;
}

/** Threads: characters, with each emoji counted as its UTF-8 bytes. */
export function threadsLength(text: string): number {
  let total = 0;
  for (const { segment } of graphemes(text)) total += EMOJI.test(segment) ? utf8.encode(segment).length : [...segment].length;
  return total;
}

export function measure(text: string, unit: LengthUnit): number {
  switch (unit) {
    case 'utf16':
      return text.length;
    case 'utf8-bytes':
      return utf8.encode(text).length;
    case 'x-weighted':
      return xWeightedLength(text);
    case 'threads':
      return threadsLength(text);
    case 'graphemes':
      return graphemeLength(text);
  }
}

/** YouTube's count for snippet.tags: tag lengths, +2 for each tag with a space (quoted), +1 per comma between tags. */
export function youtubeTagsLength(tags: readonly string[]): number {
  const cleaned = tags.map((tag) => tag.trim()).filter(Boolean);
  if (cleaned.length === 0) return 0;
  return cleaned.reduce((sum, tag) => sum + tag.length + (/\s/.test(tag) ? 2 : 0), 0) + cleaned.length - 1;
}

const HASHTAG = /(?:^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_]+)/gu;
const MENTION = /(?:^|[^\p{L}\p{N}_@.])@([A-Za-z0-9_.]+)/gu;

/** Hashtags of a text, lower-cased, without `#`. */
export function hashtagsOf(text: string): string[] {
  return [...text.matchAll(HASHTAG)].map((match) => (match[1] ?? '').toLowerCase());
}

export function mentionsOf(text: string): string[] {
  return [...text.matchAll(MENTION)].map((match) => (match[1] ?? '').toLowerCase());
}

/** How two titles or hooks are compared: accents, case, punctuation, emoji and spacing ignored. */
export function normalizeForComparison(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A hook's length in words that lands in the first seconds (the critic's rule, the writer's aim). */
export const HOOK_WORDS = { min: 4, max: 14 } as const;

export const wordCount = (text: string) => text.split(/\s+/u).filter(Boolean).length;

export function hookLengthFits(hook: string): boolean {
  const words = wordCount(hook);
  return words >= HOOK_WORDS.min && words <= HOOK_WORDS.max;
}

/** The opening a viewer sees first: the script's hook, else the first non-empty line of the post. */
export function hookOf(post: { script?: { hook: string } | undefined; post?: string | undefined }): string {
  if (post.script?.hook?.trim()) return post.script.hook.trim();
  return (
    (post.post ?? '')
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? ''
  );
}

// ---------------------------------------------------------------------------------------------
// Hard checks

export interface PostScript {
  hook: string;
  body: string;
  cta: string;
}

/** A drafted or stored post; every part optional so missing parts can be reported. */
export interface CheckablePost {
  day: number;
  format?: string;
  title?: string;
  script?: PostScript;
  post?: string;
  seoTags?: readonly string[];
  cta?: string;
}

/** Another post of the campaign, for the duplicate checks. */
export interface CampaignPostRef {
  day: number;
  platform?: Platform;
  title?: string;
  script?: { hook: string };
  post?: string;
}

export type ViolationCode =
  | 'missing-title'
  | 'missing-post'
  | 'missing-cta'
  | 'missing-script'
  | 'title-too-long'
  | 'title-over-seo-length'
  | 'post-too-long'
  | 'cta-too-long'
  | 'script-too-long'
  | 'too-many-tags'
  | 'tag-too-long'
  | 'tags-too-long'
  | 'too-many-hashtags'
  | 'too-many-mentions'
  | 'forbidden-characters'
  | 'duplicate-title'
  | 'duplicate-hook'
  | 'placeholder-text';

export interface Violation {
  code: ViolationCode;
  /** Written for the creator, and for the writer's next round. */
  message: string;
  /** `hard` caps the critique score; `soft` (the blog's SEO title length) only lowers it. */
  severity: 'hard' | 'soft';
}

const PLACEHOLDERS: readonly RegExp[] = [
  /lorem\s+ipsum/i,
  /\b(?:TODO|TBD|FIXME|XXX)\b/,
  /\[\s*(?:insert|your|add|link|name|placeholder|todo)\b[^\]]*\]/i,
  /\{\{[^}]*\}\}/,
  /<\s*(?:insert|your|placeholder)\b[^>]*>/i,
];

/** The first placeholder found in a text (lorem ipsum, TODO, [insert …], {{…}}), or undefined. */
export function findPlaceholder(text: string): string | undefined {
  for (const pattern of PLACEHOLDERS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}

const UNIT_NAMES: Record<LengthUnit, string> = {
  utf16: 'characters',
  'utf8-bytes': 'bytes',
  'x-weighted': 'weighted characters',
  threads: 'characters',
  graphemes: 'characters',
};

/**
 * Every rule the post breaks on `platform`: over-length fields (in the platform's own unit),
 * missing parts (title, post, CTA, and a script for a video format), tag count and total length,
 * hashtags and mentions, characters the platform refuses, placeholder text, and a title or hook
 * already used on another day of the campaign (compared normalized: case, accents, punctuation
 * ignored). `otherPostsOfCampaign` may include the post itself: posts of the same day are skipped.
 */
export function hardChecks(post: CheckablePost, platform: Platform, otherPostsOfCampaign: readonly CampaignPostRef[]): Violation[] {
  const rules = platformRules[platform];
  const name = platformLabels[platform];
  const violations: Violation[] = [];
  const add = (code: ViolationCode, message: string, severity: 'hard' | 'soft' = 'hard') => violations.push({ code, message, severity });

  const title = post.title?.trim() ?? '';
  const text = post.post?.trim() ?? '';
  const cta = post.cta?.trim() ?? '';
  const tags = (post.seoTags ?? []).map((tag) => tag.trim()).filter(Boolean);

  if (!title) add('missing-title', 'The title is missing.');
  if (!text) add('missing-post', `The ${rules.postRole} text is missing.`);
  if (!cta) add('missing-cta', 'The call to action is missing.');

  const scriptNeeded = requiresScript(platform, post.format);
  const script = post.script;
  if (scriptNeeded && (!script?.hook?.trim() || !script.body?.trim() || !script.cta?.trim())) {
    add('missing-script', `A ${post.format ?? 'video'} on ${name} needs a script with a hook, a body and a call to action.`);
  }

  for (const limit of rules.title) {
    const length = measure(title, limit.unit);
    if (length <= limit.max) continue;
    if (limit.kind === 'soft') {
      add(
        'title-over-seo-length',
        `The title is ${length} characters; keep it within ${limit.max} so search results show it whole.`,
        'soft',
      );
    } else {
      add('title-too-long', `The title is ${length} ${UNIT_NAMES[limit.unit]}; ${name} allows ${limit.max}.`);
    }
  }
  const postLimit = rules.post.filter((limit) => limit.kind === 'hard').find((limit) => measure(text, limit.unit) > limit.max);
  if (postLimit) {
    add(
      'post-too-long',
      `The ${rules.postRole} is ${measure(text, postLimit.unit)} ${UNIT_NAMES[postLimit.unit]}; ${name} allows ${postLimit.max}.`,
    );
  }
  if (cta.length > UNIVERSAL_LIMITS.cta)
    add('cta-too-long', `The call to action is ${cta.length} characters; the limit is ${UNIVERSAL_LIMITS.cta}.`);
  if (script) {
    const over = (['hook', 'body', 'cta'] as const).filter(
      (part) => (script[part]?.length ?? 0) > UNIVERSAL_LIMITS[part === 'cta' ? 'scriptCta' : part],
    );
    if (over.length)
      add('script-too-long', `The script's ${over.join(' and ')} ${over.length > 1 ? 'are' : 'is'} over the stored length limit.`);
  }

  if (tags.length > UNIVERSAL_LIMITS.seoTagCount)
    add('too-many-tags', `There are ${tags.length} tags; at most ${UNIVERSAL_LIMITS.seoTagCount} are kept.`);
  const longTag = tags.find((tag) => tag.length > UNIVERSAL_LIMITS.seoTagChars);
  if (longTag) add('tag-too-long', `The tag "${longTag.slice(0, 30)}…" is over ${UNIVERSAL_LIMITS.seoTagChars} characters.`);
  if (rules.maxTagsTotalChars !== undefined) {
    const total = youtubeTagsLength(tags);
    if (total > rules.maxTagsTotalChars)
      add('tags-too-long', `The tags add up to ${total} characters; ${name} allows ${rules.maxTagsTotalChars} in total.`);
  }
  if (rules.maxHashtags !== undefined) {
    const distinct = new Set([...hashtagsOf(text), ...tags.map((tag) => tag.replace(/^#/, '').replace(/\s+/g, '').toLowerCase())]);
    if (distinct.size > rules.maxHashtags) {
      add('too-many-hashtags', `There are ${distinct.size} hashtags (caption and tags together); ${name} allows ${rules.maxHashtags}.`);
    }
  }
  if (rules.maxMentions !== undefined) {
    const mentions = new Set(mentionsOf(text)).size;
    if (mentions > rules.maxMentions) add('too-many-mentions', `There are ${mentions} @-mentions; ${name} allows ${rules.maxMentions}.`);
  }
  if (rules.forbiddenChars) {
    const forbidden = [...rules.forbiddenChars].filter((char) => title.includes(char) || text.includes(char));
    if (forbidden.length)
      add('forbidden-characters', `${name} refuses ${forbidden.map((c) => `"${c}"`).join(' and ')} in the title and description.`);
  }

  const texts = [title, text, cta, script?.hook ?? '', script?.body ?? '', script?.cta ?? '', ...tags];
  const placeholder = texts.map(findPlaceholder).find((found) => found !== undefined);
  if (placeholder) add('placeholder-text', `Placeholder text "${placeholder.slice(0, 40)}" must be replaced with real content.`);

  const others = otherPostsOfCampaign.filter((other) => other.day !== post.day);
  const normalizedTitle = normalizeForComparison(title);
  const titleTwin = normalizedTitle && others.find((other) => normalizeForComparison(other.title ?? '') === normalizedTitle);
  if (titleTwin) add('duplicate-title', `The title repeats the title of day ${titleTwin.day}; every day needs its own.`);
  const normalizedHook = normalizeForComparison(hookOf(post));
  const hookTwin = normalizedHook && others.find((other) => normalizeForComparison(hookOf(other)) === normalizedHook);
  if (hookTwin) add('duplicate-hook', `The hook repeats the opening of day ${hookTwin.day}; open with something new.`);

  return violations;
}

// ---------------------------------------------------------------------------------------------
// Images of a post to publish

export interface PublishableImage {
  byteLength: number;
  mimeType: string;
  alt: string;
}

export type ImageViolationCode = 'images-not-supported' | 'too-many-images' | 'image-too-large' | 'image-type' | 'missing-alt-text';

/** Why these images cannot go out with a post on `platform` (count, size, type, alt text), or nothing. */
export function imageViolations(platform: Platform, images: readonly PublishableImage[]): { code: ImageViolationCode; message: string }[] {
  if (images.length === 0) return [];
  const name = platformLabels[platform];
  const rules = platformRules[platform].images;
  if (!rules) return [{ code: 'images-not-supported', message: `Crescendo does not publish images to ${name}.` }];
  const violations: { code: ImageViolationCode; message: string }[] = [];
  if (images.length > rules.maxCount)
    violations.push({ code: 'too-many-images', message: `${images.length} images; ${name} takes at most ${rules.maxCount}.` });
  images.forEach((image, index) => {
    const which = `Image ${index + 1}`;
    if (image.byteLength > rules.maxBytes)
      violations.push({
        code: 'image-too-large',
        message: `${which} is ${image.byteLength} bytes; ${name} takes at most ${rules.maxBytes}.`,
      });
    if (!rules.mimeTypes.includes(image.mimeType))
      violations.push({ code: 'image-type', message: `${which} is ${image.mimeType}; ${name} takes ${rules.mimeTypes.join(', ')}.` });
    if (rules.altRequired && !image.alt.trim()) violations.push({ code: 'missing-alt-text', message: `${which} has no alt text.` });
  });
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Publishing through a connection (shared/app/publish-post.ts): checked before anything is sent

/** What a connected platform takes from Crescendo's publisher besides the text limits above. */
export interface PublishingRules {
  maxImages: number;
  imageTypes: readonly string[];
  maxImageBytes: number;
  /** Posts Crescendo publishes per creator and UTC day there: the API's own per-user daily limit. */
  dailyCap: number;
  sources: readonly string[];
}

export const publishingRules: Partial<Record<Platform, PublishingRules>> = {
  x: {
    maxImages: 4,
    imageTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
    maxImageBytes: 5 * 1024 * 1024,
    dailyCap: 17,
    sources: [
      'https://docs.x.com/x-api/media/quickstart/best-practices (images up to 5 MB; PNG, JPEG, GIF, WebP; 4 per post)',
      'https://docs.x.com/x-api/fundamentals/rate-limits (POST /2/tweets, free tier: 17 requests per 24 hours per user)',
    ],
  },
  bluesky: {
    maxImages: 4,
    imageTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxImageBytes: 1_000_000,
    // A PDS allows 35,000 points a day per account and createRecord costs 3 (11,666 records); 100 posts a day is far below any real use.
    dailyCap: 100,
    sources: [
      'https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/embed/images.json (4 images, blob maxSize)',
      'https://docs.bsky.app/docs/advanced-guides/rate-limits (repo writes: 5,000 points/hour, 35,000/day; create = 3 points)',
    ],
  },
};

/** Why a post cannot be published as it is, in words for the creator's notification; undefined when it can. */
export function publishingRefusal(
  platform: Platform,
  post: { text: string; image?: { mimeType: string; bytes: number } },
): string | undefined {
  const rules = publishingRules[platform];
  if (!rules) return `Crescendo cannot publish to ${platformLabels[platform]}`;
  if (post.text.trim().length === 0) return 'the post has no text';
  const limit = hardMax(platformRules[platform].post);
  const length = measure(post.text, limit.unit);
  if (length > limit.max) return `the text is ${length} characters, over ${platformLabels[platform]}'s ${limit.max} (${limit.source})`;
  if (post.image && !rules.imageTypes.includes(post.image.mimeType))
    return `${platformLabels[platform]} does not take ${post.image.mimeType} images`;
  if (post.image && post.image.bytes > rules.maxImageBytes)
    return `the image is ${post.image.bytes} bytes, over ${platformLabels[platform]}'s ${rules.maxImageBytes}`;
  return undefined;
}
