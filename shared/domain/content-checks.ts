import type * as z from '../schemas/zod';
import type { goalTypeSchema } from '../schemas/campaign-fields';
import { platformLabels, type Platform } from '../schemas/common';
import { FAMILY_TAG_WORDS, nicheFamily } from './niche-family';
import { hookOf, normalizeForComparison, platformGuidance, platformRules } from './platform-rules';

/**
 * What a post says, checked in code for every provider's output (issue 19: model critics miss
 * count and horizon errors): a count in the title or hook delivered as a list of that many items,
 * no claim of time beyond the campaign or the creator's history, no title, hook or sentences
 * taken from another post, tags that name the niche and the topic, a call to action that serves
 * the goal. Each failure is a violation whose message tells the rewrite what to change. Pure.
 */

type GoalType = z.infer<typeof goalTypeSchema>;

export type ContentCheckCode =
  | 'undelivered-count'
  | 'unstated-claim'
  | 'claim-beyond-horizon'
  | 'repeated-title'
  | 'repeated-hook'
  | 'repeated-sentences'
  | 'tag-fragment'
  | 'tags-miss-niche'
  | 'tags-miss-topic'
  | 'tag-count'
  | 'cta-off-goal';

export interface ContentViolation {
  code: ContentCheckCode;
  message: string;
  severity: 'hard';
}

export interface ContentPost {
  day: number;
  platform: Platform;
  title: string;
  post: string;
  script?: { hook: string; body: string; cta: string } | undefined;
  seoTags: readonly string[];
  cta: string;
  topic?: string | undefined;
  pillar?: string | undefined;
}

/** Another post: of this campaign (compared when it comes first), or of an earlier campaign (`earlier`, always compared). */
export interface OtherPost {
  day: number;
  platform?: Platform;
  title?: string;
  post?: string;
  script?: { hook: string; body?: string };
  earlier?: boolean;
}

export interface ContentContext {
  goal?: GoalType;
  niche?: string;
  /** Days the campaign runs: the horizon a claim of time may not exceed. */
  durationDays?: number;
  /** How long the creator says they have been at it, in days. */
  historyDays?: number;
}

// ---------------------------------------------------------------------------------------------
// Counts: "3 mistakes", "these five tips"

export const PROMISE_NOUNS = [
  'mistakes',
  'tips',
  'steps',
  'ways',
  'rules',
  'moves',
  'checks',
  'things',
  'lessons',
  'habits',
  'reasons',
  'ideas',
  'questions',
  'myths',
  'tools',
  'signs',
  'tricks',
  'facts',
] as const;

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  hundred: 100,
};
const NUMBER = `(\\d{1,3}|${Object.keys(NUMBER_WORDS)
  .filter((word) => word !== 'a' && word !== 'an')
  .join('|')})`;
const toNumber = (value: string) => (/^\d+$/.test(value) ? Number(value) : (NUMBER_WORDS[value.toLowerCase()] ?? NaN));

const COUNT_PROMISE = new RegExp(`\\b${NUMBER}\\s+(?:[\\p{L}'’-]+\\s+){0,3}?(${PROMISE_NOUNS.join('|')})\\b`, 'giu');

/** The counts a title or hook promises ("3 mistakes" → { count: 3, noun: 'mistakes' }). */
export function promisedCounts(text: string): { count: number; noun: string }[] {
  return [...text.matchAll(COUNT_PROMISE)]
    .map((match) => ({ count: toNumber(match[1]!), noun: match[2]!.toLowerCase() }))
    .filter(({ count }) => count >= 2 && count <= 20);
}

const LIST_ITEM =
  /^\s*(?:[-•*→▸✅✔]\s*|\d{1,2}[.)]\s+|\d️⃣\s*|(?:step|tip|mistake|rule|sign|myth|lesson|habit|move|check|reason|idea|question|tool|trick|fact|way|thing|cue)\s+\d{1,2}\s*[:.)–—-]\s*)(\S.*)$/iu;

/** The lists of a text: runs of list-item lines (blank lines inside a run allowed), each as its items. */
export function listsOf(text: string): string[][] {
  const lists: string[][] = [];
  let current: string[] = [];
  for (const line of text.split('\n')) {
    const item = LIST_ITEM.exec(line);
    if (item && /\p{L}{2}/u.test(item[1]!)) current.push(item[1]!.trim());
    else if (line.trim()) {
      if (current.length) lists.push(current);
      current = [];
    }
  }
  if (current.length) lists.push(current);
  return lists;
}

const hasList = (text: string, count: number) => listsOf(text).some((items) => items.length === count);

// "the X I disagree with", "the truth about X", "why X is wrong": the body must state X.
const STANCE = [
  /\bthe\s+(.{3,60}?)\s+I\s+disagree\s+with\b/iu,
  /\bwhy\s+(.{3,60}?)\s+is\s+(?:wrong|a\s+myth|overrated|a\s+lie|bad\s+advice)\b/iu,
  /\bthe\s+(?:truth|real\s+story)\s+about\s+([^,.:;?!]{3,60})/iu,
  /\bunpopular\s+opinion\b()/iu,
];
/** A stated position: a quotation of three words or more, or a line that reports what is said. */
const STATED =
  /["“«][^"”»\n]{3,}\s[^"”»\n]+\s[^"”»\n]+["”»]|\b(?:you(?:'ve|’ve| have)?\s+(?:probably\s+)?hear[ds]?|they\s+say|people\s+say|everyone\s+says|the\s+(?:usual|common|standard)\s+advice\s+(?:is|says|goes)|the\s+advice\s+(?:is|says|goes)|the\s+claim\s+is|myth:|the\s+myth\s+is)\b/iu;

const contentWords = (text: string) => (normalizeForComparison(text).match(/\p{L}{4,}/gu) ?? []).filter((word) => !STOP.has(word));

function promiseViolations(post: ContentPost): ContentViolation[] {
  const violations: ContentViolation[] = [];
  const hook = hookOf(post);
  const whole = [post.post, post.script?.body ?? ''].join('\n');
  for (const [where, text, body] of [
    ['title', post.title, whole],
    ['hook', hook, whole.replace(hook, '')],
  ] as const) {
    for (const { count, noun } of promisedCounts(text)) {
      const inPost = hasList(post.post, count);
      const inScript = !post.script || hasList(post.script.body, count);
      if (inPost && inScript) continue;
      const missing = [inScript ? '' : 'the script', inPost ? '' : 'the post'].filter(Boolean).join(' and ');
      violations.push({
        code: 'undelivered-count',
        message: `The ${where} promises ${count} ${noun}, but ${missing} do${missing.includes(' and ') ? '' : 'es'} not list exactly ${count}: name all ${count}, one per line, or promise only what the post delivers.`,
        severity: 'hard',
      });
    }
    for (const stance of STANCE) {
      const match = stance.exec(text);
      if (!match) continue;
      const subject = match[1] ?? '';
      const named = contentWords(subject);
      const mentioned = named.length === 0 || named.some((word) => normalizeForComparison(body).includes(word));
      if (mentioned && STATED.test(body)) continue;
      violations.push({
        code: 'unstated-claim',
        message: `The ${where} takes a stance ("${match[0].trim()}") the body never states: quote the advice or claim in the post, then answer it.`,
        severity: 'hard',
      });
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Time claims: "what 90 days taught me", "after 3 years of coaching", "in 6 months"

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };
const SPAN = `(?:${NUMBER}|(a|an))[\\s-]+(day|week|month|year)s?`;
const TIME_CLAIMS = [
  new RegExp(`\\b(?:in|within|after|over|for\\s+the\\s+(?:past|last))\\s+(?:just\\s+|only\\s+|about\\s+)?${SPAN}\\b`, 'giu'),
  new RegExp(
    `\\b${SPAN}\\s+(?:taught|later|ago|into\\b|of\\s+(?!expenses|rent|savings|income|spending|bills|costs|groceries|living)[\\p{L}]+)`,
    'giu',
  ),
  new RegExp(`\\b${SPAN}\\s+(?:challenge|journey|transformation|streak|experiment)\\b`, 'giu'),
];

/** The longest span of time the text claims, in days (0 when it claims none). */
export function longestClaimDays(text: string): number {
  let longest = 0;
  for (const pattern of TIME_CLAIMS) {
    for (const match of text.matchAll(pattern)) {
      const count = match[1] ? toNumber(match[1]) : 1;
      const days = count * (UNIT_DAYS[match[3]!.toLowerCase()] ?? 0);
      if (Number.isFinite(days)) longest = Math.max(longest, days);
    }
  }
  return longest;
}

function horizonViolations(post: ContentPost, context: ContentContext): ContentViolation[] {
  if (context.durationDays === undefined) return [];
  const horizon = Math.max(context.durationDays, context.historyDays ?? 0);
  const texts = [post.title, post.post, post.script?.hook ?? '', post.script?.body ?? ''];
  const claimed = Math.max(...texts.map(longestClaimDays));
  if (claimed <= horizon) return [];
  const behind = context.historyDays ? `the creator's stated ${context.historyDays} days` : `the campaign's ${context.durationDays} days`;
  return [
    {
      code: 'claim-beyond-horizon',
      message: `The post claims ${claimed} days of experience or results, more than ${behind}: claim only what ${behind} can show, or drop the figure.`,
      severity: 'hard',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Repetition

const STOP = new Set(
  'a an and are as at be but by can do does for from had has have how i if in into is it its just me my not of on or our so than that the their them then there these they this those to too up us was we were what when where which who why will with you your'.split(
    ' ',
  ),
);

function shingles(words: readonly string[], size: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) grams.add(words.slice(i, i + size).join(' '));
  return grams;
}

/** A text prepared for comparison: normalized, its words and word 3-grams. */
export interface Shingled {
  normalized: string;
  words: Set<string>;
  trigrams: Set<string>;
  length: number;
}

export function shingled(text: string): Shingled {
  const normalized = normalizeForComparison(text);
  const words = normalized.split(' ').filter(Boolean);
  return { normalized, words: new Set(words), trigrams: shingles(words, 3), length: words.length };
}

function jaccard(x: Set<string>, y: Set<string>): number {
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const gram of x) if (y.has(gram)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Word 3-gram Jaccard similarity (of word sets when either text has fewer than four words). */
export function similarityOf(a: Shingled, b: Shingled): number {
  return Math.min(a.length, b.length) < 4 ? jaccard(a.words, b.words) : jaccard(a.trigrams, b.trigrams);
}

export const similarity = (a: string, b: string) => similarityOf(shingled(a), shingled(b));

/** A title or hook this similar to an earlier one is a repeat. */
export const REPEAT_SIMILARITY = 0.6;
/** Sentences a post may share with others: this share of its own, rounded down. */
export const SHARED_SENTENCE_SHARE = 0.2;

/** The sentences of a text worth comparing: five words or more, without hashtag lines and chapter marks. */
export function sentencesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !/^\s*(?:#\S|\d{1,2}:\d{2}\b)/u.test(line))
    .flatMap((line) => line.split(/(?<=[.!?])\s+/u))
    .map(normalizeForComparison)
    .filter((sentence) => sentence.split(' ').length >= 5);
}

const PLATFORM_ORDER = Object.keys(platformRules);
const comesBefore = (other: OtherPost, post: ContentPost) =>
  other.earlier === true ||
  other.day < post.day ||
  (other.day === post.day &&
    other.platform !== undefined &&
    PLATFORM_ORDER.indexOf(other.platform) < PLATFORM_ORDER.indexOf(post.platform));

function repetitionViolations(post: ContentPost, others: readonly OtherPost[]): ContentViolation[] {
  const before = others.filter((other) => comesBefore(other, post));
  const where = (other: OtherPost) => (other.earlier ? `a post of an earlier campaign (day ${other.day})` : `day ${other.day}`);
  const violations: ContentViolation[] = [];
  // An exact repeat is hardChecks' duplicate-title or duplicate-hook already.
  const close = (a: string, b: string) => normalizeForComparison(a) !== normalizeForComparison(b) && similarity(a, b) >= REPEAT_SIMILARITY;
  const titleTwin = before.find((other) => other.title && close(other.title, post.title));
  if (titleTwin) {
    violations.push({
      code: 'repeated-title',
      message: `The title is close to the title of ${where(titleTwin)} ("${titleTwin.title}"): give it its own angle and words.`,
      severity: 'hard',
    });
  }
  const hook = hookOf(post);
  const hookTwin = before.find((other) => {
    const otherHook = hookOf(other);
    return otherHook && close(otherHook, hook);
  });
  if (hookTwin) {
    violations.push({
      code: 'repeated-hook',
      message: `The hook is close to the opening of ${where(hookTwin)}: open with a new question, number or claim.`,
      severity: 'hard',
    });
  }
  const ctaSentences = new Set(sentencesOf(post.cta));
  const own = [...new Set([...sentencesOf(post.post), ...sentencesOf(post.script?.body ?? '')])].filter(
    (sentence) => !ctaSentences.has(sentence),
  );
  const seen = new Set(before.flatMap((other) => [...sentencesOf(other.post ?? ''), ...sentencesOf(other.script?.body ?? '')]));
  const shared = own.filter((sentence) => seen.has(sentence));
  if (shared.length > Math.floor(SHARED_SENTENCE_SHARE * own.length)) {
    violations.push({
      code: 'repeated-sentences',
      message: `${shared.length} of the post's ${own.length} sentences appear in other posts (e.g. "${shared[0]}"): write them for this topic.`,
      severity: 'hard',
    });
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Tags

/** Words that say nothing as a tag on their own: stop-words, and fragments cut from a title. */
const FRAGMENT = new Set([
  ...STOP,
  ...'all see wish knew know sooner where one two three first last next new best good more most much many some any every each other same part week day days time way ways thing things stuff make made get got go going need want try really very still only also even ever never always about after before here mistakes tips steps advice myth myths truth start started guide explained tutorial hacks life goals inspo viral fyp foryou trending explore'.split(
    ' ',
  ),
]);

/** Whether a tag says nothing on its own (a stop-word, a fragment cut from a title, or under three characters). */
export function isTagFragment(tag: string): boolean {
  const squashed = squashTag(tag);
  return squashed.length < 3 || (!/\s/u.test(tag.trim()) && FRAGMENT.has(squashed));
}

const squashTag = (tag: string) =>
  tag
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^#/u, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');

const stems = (text: string) =>
  (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/\p{L}{4,}/gu) ?? []
  )
    .filter((word) => !STOP.has(word))
    .map((word) => word.slice(0, 5));

function tagViolations(post: ContentPost, platform: Platform, context: ContentContext): ContentViolation[] {
  const violations: ContentViolation[] = [];
  const tags = post.seoTags.map((tag) => tag.trim()).filter(Boolean);
  const [fewest, most] = platformGuidance[platform].tags;
  const hashtags = platformRules[platform].tagKind === 'hashtags';
  if (tags.length < fewest || tags.length > most) {
    violations.push({
      code: 'tag-count',
      message: `${tags.length} tags; ${platformLabels[platform]} posts take ${fewest === most ? fewest : `${fewest}–${most}`}: keep the ones that name the niche and the topic.`,
      severity: 'hard',
    });
  }
  const fragments = tags.filter((tag) => isTagFragment(hashtags ? squashTag(tag) : tag));
  if (fragments.length) {
    violations.push({
      code: 'tag-fragment',
      message: `${fragments.map((tag) => `"${tag}"`).join(', ')} ${fragments.length > 1 ? 'are' : 'is'} not a tag anyone searches: use the niche and the topic instead.`,
      severity: 'hard',
    });
  }
  const squashed = tags.map(squashTag);
  const nicheWords = context.niche ? [...stems(context.niche), ...FAMILY_TAG_WORDS[nicheFamily(context.niche)]] : [];
  const topicWords = stems(`${post.topic ?? ''} ${post.pillar ?? ''}`);
  const names = (tag: string, words: readonly string[]) => words.some((word) => tag.includes(word));
  const nicheTags = squashed.filter((tag) => names(tag, nicheWords));
  const topicTags = squashed.filter((tag) => names(tag, topicWords));
  if (nicheWords.length && topicWords.length && most === 1) {
    if (nicheTags.length + topicTags.length === 0) {
      violations.push({
        code: 'tags-miss-niche',
        message: `The tag names neither the niche (${context.niche}) nor the topic: use one that does.`,
        severity: 'hard',
      });
    }
    return violations;
  }
  if (nicheWords.length && nicheTags.length === 0) {
    violations.push({ code: 'tags-miss-niche', message: `No tag names the niche (${context.niche}): add one.`, severity: 'hard' });
  }
  const distinctTopic = topicTags.some((tag) => !nicheTags.includes(tag) || nicheTags.length > 1);
  if (topicWords.length && !distinctTopic) {
    violations.push({
      code: 'tags-miss-topic',
      message: `No tag names the topic (${post.topic ?? post.pillar}): add one beside the niche tag.`,
      severity: 'hard',
    });
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// The call to action

/** The action each goal needs, and how a CTA is recognised as asking for it. */
export const GOAL_CTA: Record<GoalType, { ask: string; pattern: RegExp }> = {
  followers: { ask: 'a follow or subscribe', pattern: /\b(?:follow|subscribe)\b/iu },
  views: { ask: 'a watch or share', pattern: /\b(?:watch|rewatch|share)\b/iu },
  engagement: { ask: 'a comment, save or reply', pattern: /\b(?:comments?|save|repl(?:y|ies)|tell me|vote)\b/iu },
  leads: {
    ask: 'a sign-up or download',
    pattern:
      /\b(?:sign(?:\s|-)?up|download|(?:grab|get)\s+(?:the|my|our|a)\s+free|join\s+(?:the|my|our)\s+(?:free\s+)?(?:[\p{L}-]+\s+){0,3}?(?:list|newsletter)|newsletter)\b/iu,
  },
  sales: { ask: 'a purchase', pattern: /\b(?:buy|shop|order|get|book|purchase|enrol|enroll)\b/iu },
  launch: {
    ask: "the launch's action (wishlist, waitlist, pre-order)",
    pattern: /\b(?:wishlist|waitlist|pre-?order|sign\s+up|join|launch)\b/iu,
  },
};

function ctaViolations(post: ContentPost, goal: GoalType): ContentViolation[] {
  const { ask, pattern } = GOAL_CTA[goal];
  const off = [post.cta, post.script?.cta].filter((cta): cta is string => !!cta?.trim() && !pattern.test(cta));
  if (off.length === 0) return [];
  return [
    {
      code: 'cta-off-goal',
      message: `The call to action ("${off[0]!.slice(0, 80)}") does not serve the ${goal} goal: ask for ${ask}.`,
      severity: 'hard',
    },
  ];
}

/** Every content check the post fails, given its campaign (`context`) and the posts it must not repeat (`others`). */
export function contentChecks(
  post: ContentPost,
  platform: Platform,
  context: ContentContext,
  others: readonly OtherPost[],
): ContentViolation[] {
  return [
    ...promiseViolations(post),
    ...horizonViolations(post, context),
    ...repetitionViolations(post, others),
    ...tagViolations(post, platform, context),
    ...(context.goal ? ctaViolations(post, context.goal) : []),
  ];
}
