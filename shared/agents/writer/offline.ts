import { seededRandom } from '../../ai/offline';
import {
  measure,
  normalizeForComparison,
  platformGuidance,
  platformRules,
  requiresScript,
  UNIVERSAL_LIMITS,
  youtubeTagsLength,
} from '../../domain/platform-rules';
import type { Platform } from '../../schemas/common';
import {
  bare,
  capitalize,
  clean,
  dropDangling,
  fill,
  formatNumber,
  nounPhrase,
  pick,
  platformNames,
  shortNiche,
  shorten,
  shuffle,
  type Random,
} from '../common/offline-text';
import type { GoalType, PostBrief, PostCritique, WriterGoal, WriterInput, WriterScript, WriterPost, WriterOutput } from './schema';

const STOP_WORDS = new Set(
  'a an and are as at be by for from how i in into is it its my of on or our so that the their this to was what when why with you your vs versus about without'.split(
    ' ',
  ),
);

/** Creator text made safe to publish: one line, no markup or placeholder tokens, no angle brackets. */
function safe(value: string | undefined, fallback: string): string {
  const stripped = clean(value ?? '')
    .replace(/\{\{[^}]*\}\}|\[[^\]]*\]/g, ' ')
    .replace(/lorem\s+ipsum/gi, ' ')
    .replace(/\b(?:TODO|TBD|FIXME|XXX)\b/g, ' ')
    .replace(/[<>#]/g, ' ');
  return bare(stripped) || fallback;
}

const AUDIENCE_QUALIFIERS =
  /\s(?:who|whose|that|which|living|working|studying|looking|trying|wanting|hoping|learning|juggling|starting|with|without|on|in|at|from|during|while|where|when|after|before)\s/iu;

/** The planner's angle without its bookkeeping prefix ("Week 2 (Theme): as a reel, "). */
function approachOf(angle: string): string {
  return angle
    .replace(/^week\s*\d+\s*(?:\([^)]*\))?\s*[:,.–—-]\s*/iu, '')
    .replace(/^as an? [^,]{1,40},\s*/iu, '')
    .trim();
}

/** The first clause of an approach ("open on the problem in the first two seconds"), at most `max` characters. */
function firstClause(approach: string, max: number): string {
  const clause = approach.split(/,\s+|;\s+|\s+then\s+|\s+—\s+/u)[0] ?? approach;
  return shorten(dropDangling(clause) || approach, max);
}

const DIRECTION =
  /^(?:open|frame|tell|lead|answer|use|state|make|share|pose|define|structure|build|show|start|end|film|record|walk|explain|ask|list|compare|break|turn|write|keep|give|focus|cover|present|demonstrate|react|try)\b/iu;

const TWIST = /\s+[—–]\s+|\s+-\s+/u;
const DETERMINER = /^(?:the|an?|your|my|our|their)\s+(?=\S)/iu;
const NOT_A_NOUN_PHRASE =
  /^(?:\d|i\b|i['’]|my\b|me\b|we\b|why\b|what\b|how\b|when\b|where\b|which\b|who\b|is\b|are\b|do\b|does\b|can\b|should\b|stop\b|start\b|let['’]s\b)/iu;

/** Whether a topic reads as a plain noun phrase ("first bank account") rather than a full working title. */
function isNounPhrase(value: string): boolean {
  const words = value.split(' ');
  return (
    value.length > 0 &&
    value.length <= 48 &&
    words.length <= 7 &&
    !/[,:;?!()"“”…]/u.test(value) &&
    !NOT_A_NOUN_PHRASE.test(value) &&
    // A pronoun or a possessive makes it a sentence-like title ("Answering your top question", "Reviewing a follower's setup").
    !words.some((word) => /^(?:i|i['’](?:d|m|ve|ll)|you|your|my|our|their)$|\p{L}['’]s$/iu.test(word))
  );
}

/** Lower-case first letter for a phrase used mid-sentence, unless it starts with an acronym or a brand. */
function midSentence(value: string): string {
  const first = value.split(' ')[0] ?? '';
  if (Object.values(platformNames).some((name) => name.toLowerCase() === first.toLowerCase())) return value;
  return lowerFirst(value);
}

/** Adjacent repeated words ("first first") collapsed into one. */
function undouble(value: string): string {
  const words = value.split(' ');
  return words.filter((word, i) => i === 0 || word.toLowerCase() !== words[i - 1]!.toLowerCase()).join(' ');
}

/** Content words of a text, lower-cased, first occurrence kept. */
const lowerFirst = (value: string) => (/^\p{Lu}\p{Ll}/u.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value);

export function keywordsOf(value: string): string[] {
  const words = value
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’-]+/u)
    .map((word) => word.replace(/^['’-]+|['’-]+$/gu, ''))
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
  return [...new Set(words)];
}

function hashtagWord(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .slice(0, 30);
}

interface Context {
  random: Random;
  brief: PostBrief;
  platform: Platform;
  video: boolean;
  rewrite: boolean;
  reasons: readonly string[];
  goal: WriterGoal;
  niche: string;
  nicheShort: string;
  audience: string;
  aud: string;
  topic: string;
  /** The planner's topic as written, capitalized: a title by itself. */
  titleTopic: string;
  /** Whether the topic is a plain noun phrase (then the title templates say it better). */
  plainTopic: boolean;
  /** The subject as a noun phrase, for use mid-sentence. */
  ts: string;
  /** The topic as said in a hook: at most five words. */
  hookTopic: string;
  Topic: string;
  angle: string;
  angleShort: string;
  /** The planner's angle when it is a production note for the creator (used in the script only). */
  direction: string;
  pillar: string;
  n: number;
  topicWords: string[];
  nicheWords: string[];
}

function contextFor(input: WriterInput, brief: PostBrief, seed: string, critique: PostCritique | undefined): Context {
  const random = seededRandom(`${seed}|writer|${brief.day}|${brief.platform}`);
  const niche = safe(input.niche, 'content creation');
  const audience = safe(input.audience, 'beginners');
  const pillar = safe(brief.pillar, safe(input.strategy.pillars[0], niche));
  const topic = safe(brief.topic, pillar);
  const given = approachOf(safe(brief.angle, ''));
  // An angle written as a production note ("open on the problem…") directs the creator; the
  // audience-facing text then names a plain approach instead of reading the note out.
  const direction = DIRECTION.test(given) ? given : '';
  const approach = (direction ? '' : given) || 'one measurable change at a time';
  const topicWords = keywordsOf(topic);
  // The subject said inside generated sentences and title templates: the topic when it is a plain
  // noun phrase (without a series twist "— the numbers"), else the pillar, else the niche.
  // Without a leading determiner, which the templates bring themselves ("fix your {ts}").
  const core = topic.split(TWIST)[0]!.trim().replace(DETERMINER, '');
  const pillarCore = pillar.split(TWIST)[0]!.trim().replace(DETERMINER, '');
  const nicheShort = shortNiche(niche);
  const subject = isNounPhrase(core) ? core : isNounPhrase(pillarCore) ? pillarCore : nicheShort;
  const ts = midSentence(shorten(subject, 40));
  return {
    random,
    brief,
    platform: brief.platform,
    video: requiresScript(brief.platform, brief.format),
    rewrite: critique !== undefined,
    reasons: critique?.reasons ?? [],
    goal: input.goal,
    niche,
    nicheShort,
    audience,
    aud: nounPhrase(audience, 28, AUDIENCE_QUALIFIERS),
    topic: shorten(topic, 90),
    titleTopic: capitalize(topic),
    plainTopic: isNounPhrase(topic.replace(DETERMINER, '')),
    ts,
    hookTopic: ts.split(' ').length <= 5 ? ts : shorten(ts, 28),
    Topic: capitalize(ts),
    angle: shorten(approach, 140),
    direction: shorten(direction, 200),
    angleShort: firstClause(approach, 60),
    pillar: shorten(pillar, 50),
    n: 3 + Math.floor(random() * 3),
    topicWords,
    nicheWords: keywordsOf(niche),
  };
}

const mentions = (reasons: readonly string[], pattern: RegExp) => reasons.some((reason) => pattern.test(reason));

/** The first candidate whose normalized form is not taken (and fits `max`), recorded as taken. */
function claim(candidates: readonly string[], taken: Set<string>, max: number, rotate = 0): string {
  const fitting = candidates.filter((candidate) => candidate.length <= max);
  const ordered = [...fitting.slice(rotate % Math.max(1, fitting.length)), ...fitting.slice(0, rotate % Math.max(1, fitting.length))];
  for (const candidate of ordered) {
    const key = normalizeForComparison(candidate);
    if (key && !taken.has(key)) {
      taken.add(key);
      return candidate;
    }
  }
  const base = ordered[0] ?? shorten(candidates[0] ?? 'New post', max);
  for (let part = 2; ; part++) {
    const suffix = ` (part ${part})`;
    const candidate = `${shorten(base, max - suffix.length)}${suffix}`;
    const key = normalizeForComparison(candidate);
    if (!taken.has(key)) {
      taken.add(key);
      return candidate;
    }
  }
}

function titleCandidates(c: Context): string[] {
  const v = { Topic: c.Topic, ts: c.ts, aud: c.aud, n: c.n, niche: c.nicheShort };
  const templates =
    c.platform === 'blog'
      ? [
          '{Topic}: a practical guide for {aud}',
          '{Topic} for {aud}: {n} steps that work',
          '{Topic}: the complete guide for {aud}',
          '{Topic}, explained for {aud}',
          '{Topic}: {n} lessons for {aud}',
        ]
      : c.video
        ? [
            '{Topic} for {aud}: {n} steps that work',
            '{Topic}: {n} mistakes {aud} keep making',
            '{Topic}, explained in {n} minutes',
            '{Topic}: what 30 days taught me',
            '{Topic}: the playbook nobody gave {aud}',
            '{Topic} without overthinking: the {n}-step fix',
            '{Topic}: what {aud} get wrong',
          ]
        : [
            '{Topic}: {n} lessons for {aud}',
            '{Topic}: why it matters for {aud}',
            '{Topic} in {n} steps',
            '{Topic}: the short version for {aud}',
            '{Topic}, from a {niche} point of view',
            '{Topic}: one habit for {aud}',
          ];
  const limit = c.platform === 'blog' ? 70 : c.platform === 'youtube' ? 100 : UNIVERSAL_LIMITS.title;
  const ordered = shuffle(c.random, templates).map((template) => fill(template, v));
  // A planner topic that is a working title by itself comes first, as written.
  const own = c.plainTopic || c.titleTopic.length > limit ? [] : [c.titleTopic];
  return [...own, ...ordered, shorten(c.titleTopic, limit)].map(undouble);
}

interface Hook {
  text: string;
  strong: boolean;
}

function hookCandidates(c: Context): Hook[] {
  const v = { ts: c.hookTopic, aud: c.aud, n: c.n, niche: c.nicheShort };
  const strong = [
    'Are you making these {n} mistakes with {ts}?',
    'What if {ts} took {n} minutes a day?',
    'Still stuck on {ts}? Here are {n} fixes.',
    'Which of these {n} habits around {ts} do you have?',
    'Want {ts} to click in {n} simple steps?',
    'Could {n} small changes fix your {ts} this week?',
    'Is {ts} costing you? Run these {n} checks.',
    'You only need {n} steps for {ts}. Ready?',
    'How would you handle {ts} with just {n} rules?',
    'Got {n} minutes? Let us sort out {ts} together.',
    'Think {ts} is complicated? Try these {n} moves.',
    'Ever wondered why {ts} feels hard? Here are {n} reasons.',
    'Want the {n}-step plan for {ts}?',
    'Did you know {n} habits decide how {ts} goes?',
  ].map((template) => ({ text: fill(template, v), strong: true }));
  const other = [
    '{n} things about {ts} I wish I knew sooner.',
    'What makes {ts} so hard for {aud}?',
    'You can fix {ts} in {n} weeks: here is how.',
  ].map((template) => ({ text: fill(template, v), strong: false }));
  // A rewrite leads with the strongest openings; a first draft may also use the other good ones.
  return c.rewrite ? [...shuffle(c.random, strong), ...other] : shuffle(c.random, [...strong, ...other]);
}

const LINK_WHERE: Record<Platform, string> = {
  youtube: 'in the description',
  instagram: 'in bio',
  tiktok: 'in bio',
  x: 'in my profile',
  linkedin: 'in the comments',
  threads: 'in bio',
  bluesky: 'in my profile',
  facebook: 'below',
  blog: 'below',
};

function ctaFor(c: Context): string {
  const follow = c.platform === 'youtube' ? 'Subscribe' : c.platform === 'blog' ? 'Subscribe to the newsletter' : 'Follow';
  const where = LINK_WHERE[c.platform];
  const metric = shorten(safe(c.goal.metric, 'followers'), 40);
  // "help us reach 10,000 YouTube subscribers" only where that metric is counted.
  const metricPlatform = (Object.keys(platformNames) as Platform[]).find(
    (platform) => platform !== 'x' && platform !== 'blog' && new RegExp(`\\b${platform}\\b`, 'i').test(metric),
  );
  const target = c.goal.target >= 1 && (!metricPlatform || metricPlatform === c.platform) ? formatNumber(Math.round(c.goal.target)) : '';
  const v = { follow, where, ts: c.ts, niche: c.nicheShort, aud: c.aud, metric, target };
  const offer = shorten(
    safe(c.goal.metric.replace(/\b(sales|revenue|orders|purchases|conversions)\b/gi, ''), `${c.nicheShort} toolkit`),
    40,
  );
  const banks: Record<GoalType, string[]> = {
    followers: [
      c.platform === 'youtube' ? 'Subscribe for weekly {niche} breakdowns for {aud}.' : '{follow} for more {niche} tips for {aud}.',
      "{follow} so you don't miss part two on {ts}.",
      ...(target ? ['{follow} and help us reach {target} {metric}.'] : []),
    ],
    views: [
      c.video ? 'Watch the next video on {ts} right after this one.' : 'Share this with someone working on {ts}.',
      'Share this with a friend who needs {ts} explained.',
      'Save this and come back to it before you start.',
    ],
    engagement: [
      "Comment your biggest question about {ts} and I'll answer it.",
      'Tell me in the comments: which step will you try first?',
      'Reply with your own {ts} tip so everyone learns.',
    ],
    leads: [
      'Download the free {niche} checklist: link {where}.',
      'Join the free {niche} email list for {aud}: link {where}.',
      'Grab the free {ts} worksheet: link {where}.',
    ],
    sales: [
      `Get the ${offer}: link {where}.`,
      'Book your spot and go deeper on {ts}: link {where}.',
      `Ready to go further? Get the ${offer}, link {where}.`,
    ],
    launch: [
      'Join the waitlist for launch day: link {where}.',
      'Sign up to be first in line when it launches: link {where}.',
      'Join the early list so you catch launch day: link {where}.',
    ],
  };
  const cta = fill(pick(c.random, banks[c.goal.type]), v);
  return cta.length <= UNIVERSAL_LIMITS.cta ? cta : shorten(cta, UNIVERSAL_LIMITS.cta);
}

function stepsFor(c: Context, count: number): string[] {
  const v = { ts: c.ts, niche: c.nicheShort };
  const bank = [
    'Start with the smallest version of {ts} you can do today',
    'Write down what you do now, before changing anything',
    'Pick one number to track for {ts} and check it weekly',
    'Cut the step that takes the most time and gives the least',
    'Borrow a routine from someone a step ahead of you in {niche}',
    'Review after seven days and keep only what worked',
    'Block a fixed time slot for {ts} so progress never depends on motivation',
  ];
  return shuffle(c.random, bank)
    .slice(0, count)
    .map((step) => fill(step, v));
}

function pain(c: Context): string {
  return pick(c.random, [
    'the effort never shows up in the results',
    'progress stalls after the first week',
    'they end up starting over every month',
    'small mistakes quietly add up',
    'it feels harder than it needs to be',
  ]);
}

function mistakes(c: Context): string[] {
  return shuffle(c.random, [
    'Changing everything at once instead of one thing at a time',
    `Copying advice written for someone other than ${c.aud}`,
    'Skipping the weekly review',
    'Measuring effort instead of results',
    `Waiting for the perfect moment to start with ${c.ts}`,
  ]).slice(0, 3);
}

function hashtagWords(c: Context): string[] {
  const nicheTag = hashtagWord(c.niche.length <= 24 ? c.niche : c.nicheShort);
  // The head noun of the niche ("personal finance" → finance) when the whole niche is too long to combine.
  const base = nicheTag.length <= 16 ? nicheTag : hashtagWord(c.nicheWords[c.nicheWords.length - 1] ?? nicheTag);
  const candidates = [
    nicheTag,
    ...c.topicWords.slice(0, 3).map(hashtagWord),
    ...(keywordsOf(c.ts).length <= 2 ? [hashtagWord(c.ts)] : []),
    hashtagWord(keywordsOf(c.audience)[keywordsOf(c.audience).length - 1] ?? ''),
    ...(keywordsOf(c.pillar).length <= 2 ? [hashtagWord(c.pillar)] : []),
    `${base}tips`,
    `${base}advice`,
    `${base}community`,
    `learn${base}`,
    `${base}goals`,
    `${base}life`,
    `${base}hacks`,
  ].filter((word) => word.length >= 2 && word.length <= 30);
  return [...new Set(candidates)];
}

function tagsFor(c: Context): string[] {
  const [min, max] = platformGuidance[c.platform].tags;
  const wanted = c.rewrite ? Math.round((min + max) / 2) : min + Math.floor(c.random() * (max - min + 1));
  const kind = platformRules[c.platform].tagKind;
  if (kind === 'hashtags') return hashtagWords(c).slice(0, wanted);
  const phrases =
    kind === 'video-tags'
      ? [
          c.niche,
          c.topic,
          `${c.ts} for ${c.aud}`,
          `${c.nicheShort} tips`,
          `${c.nicheShort} for ${c.aud}`,
          c.pillar,
          `${c.ts} explained`,
          `${c.ts} tutorial`,
          `${c.ts} mistakes`,
          ...c.topicWords,
          `${c.nicheShort} for beginners`,
          `${c.ts} tips`,
          `${c.ts} guide`,
          `${c.nicheShort} explained`,
          `${c.nicheShort} advice`,
        ]
      : [
          c.topic,
          c.niche,
          `${c.ts} guide`,
          `${c.nicheShort} for ${c.aud}`,
          c.pillar,
          `how to start ${c.ts}`,
          ...c.topicWords,
          `${c.ts} tips`,
          `${c.nicheShort} tips`,
          `${c.nicheShort} guide`,
          `${c.ts} for beginners`,
        ];
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const phrase of phrases) {
    const tag = shorten(phrase.toLowerCase(), UNIVERSAL_LIMITS.seoTagChars);
    if (!tag || seen.has(tag)) continue;
    if (kind === 'video-tags' && youtubeTagsLength([...tags, tag]) > (platformRules.youtube.maxTagsTotalChars ?? 500)) continue;
    seen.add(tag);
    tags.push(tag);
    if (tags.length >= wanted) break;
  }
  return tags;
}

const ASPECT: Record<Platform, string> = {
  youtube: '16:9 YouTube thumbnail (1280×720)',
  instagram: '9:16 Instagram reel cover (1080×1920)',
  tiktok: '9:16 TikTok cover (1080×1920)',
  x: '16:9 image for an X post (1600×900)',
  linkedin: '1.91:1 LinkedIn post image (1200×627)',
  threads: '4:5 Threads image (1080×1350)',
  bluesky: '16:9 image for a Bluesky post (1600×900)',
  facebook: '1.91:1 Facebook post image (1200×630)',
  blog: '1.91:1 blog header and social preview image (1200×630)',
};

function thumbnailPromptFor(c: Context, title: string): string {
  const word = c.topicWords[0] ?? c.nicheWords[0] ?? 'new';
  const overlay = shorten(`${word}: ${c.n} ${pick(c.random, ['steps', 'fixes', 'rules', 'mistakes'])}`, 28).toUpperCase();
  const style = pick(c.random, [
    'bright photo-real studio shot',
    'bold flat illustration with two accent colours',
    'clean editorial collage',
    'warm, natural-light desk scene',
    'high-energy close-up with a blurred background',
  ]);
  const subject = pick(c.random, [
    `a creator reacting to a surprising result about ${c.ts}`,
    `hands working through ${c.ts} step by step`,
    `a before-and-after split showing ${c.ts} done right`,
    `everyday objects from ${c.nicheShort} arranged around one clear focal point`,
  ]);
  return shorten(
    `${ASPECT[c.platform]} for "${shorten(title, 80)}": ${subject}, ${style}, overlay text "${overlay}" in large bold letters, high contrast, readable on a phone, no logos, no other text.`,
    1000,
  );
}

/** The richest variant that fits the platform's hard limit (measured in its unit). */
function fitted(c: Context, variants: readonly string[]): string {
  const limits = platformRules[c.platform].post.filter((limit) => limit.kind === 'hard');
  const fits = (text: string) => limits.every((limit) => measure(text, limit.unit) <= limit.max);
  const [min, max] = platformGuidance[c.platform].postChars;
  const readsWell = (text: string) => measure(text, c.platform === 'x' ? 'x-weighted' : 'utf16') <= max && text.length >= min;
  for (const variant of variants) if (fits(variant) && readsWell(variant)) return variant;
  for (const variant of variants) if (fits(variant)) return variant;
  let cut = variants[variants.length - 1] ?? '';
  while (cut && !fits(cut)) cut = shorten(cut, Math.floor(cut.length * 0.9));
  return cut;
}

const hashtagLine = (tags: readonly string[]) => tags.map((tag) => `#${tag}`).join(' ');

interface Draft {
  hook: string;
  script?: WriterScript;
  post: string;
}

function chapters(c: Context, steps: readonly string[]): string {
  const marks = ['0:00', '0:40', '2:10', '4:30', '6:50', '8:20'];
  const lines = [
    `Why ${c.aud} struggle with ${c.ts}`,
    `The idea: ${c.angleShort}`,
    ...steps.slice(0, 2).map((step) => shorten(step, 60)),
    'Recap and next step',
  ];
  return lines.map((line, i) => `${marks[i]} ${capitalize(line)}`).join('\n');
}

function videoDraft(c: Context, hook: string, cta: string, tags: readonly string[]): Draft {
  const steps = stepsFor(c, c.n);
  const beats = [
    `Problem: most ${c.aud} try ${c.ts} without a plan, so ${pain(c)}.`,
    c.direction ? `Direction: ${c.direction}.` : `The approach: ${c.angle}.`,
    ...steps.map((step, i) => `Step ${i + 1}: ${step}.`),
    `Recap the ${c.n} steps on screen and tie them back to ${c.pillar}.`,
  ];
  const body = c.platform === 'youtube' ? beats.join('\n') : beats.slice(0, 4).join('\n');
  const script = { hook, body, cta };
  if (c.platform === 'youtube') {
    const summary = `${capitalize(c.ts)} for ${c.aud}: ${c.n} steps you can start today, part of the ${c.pillar} series.`;
    const variants = [
      [summary, `In this video:\n${chapters(c, steps)}`, cta, hashtagLine(hashtagWords(c).slice(0, 3))],
      [summary, cta],
    ].map((parts) => parts.filter(Boolean).join('\n\n'));
    return { hook, script, post: fitted(c, variants) };
  }
  const caption =
    c.platform === 'instagram'
      ? [
          hook,
          `The approach: ${c.angle}.`,
          steps
            .slice(0, 3)
            .map((step) => `• ${step}`)
            .join('\n'),
        ]
      : [hook, `${capitalize(c.angleShort)}: ${lowerFirst(steps[0] ?? c.ts)}.`];
  const variants = [
    [...caption, cta, hashtagLine(tags)],
    [hook, cta, hashtagLine(tags.slice(0, 2))],
  ].map((parts) => parts.join('\n\n'));
  return { hook, script, post: fitted(c, variants) };
}

function textDraft(c: Context, hook: string, cta: string, tags: readonly string[]): Draft {
  const steps = stepsFor(c, c.n);
  const tagLine = hashtagLine(tags);
  let variants: string[][];
  switch (c.platform) {
    case 'x':
    case 'bluesky':
      variants = [
        [hook, `${capitalize(c.angleShort)}: ${lowerFirst(steps[0] ?? c.ts)}.`, cta, tagLine],
        [hook, cta, tagLine],
        [hook, cta],
      ];
      break;
    case 'threads':
      variants = [
        [
          hook,
          `Most ${c.aud} try ${c.ts} without a plan, so ${pain(c)}. The fix: ${c.angle}.`,
          `Start here: ${lowerFirst(steps[0] ?? c.ts)}.`,
          cta,
          tagLine,
        ],
        [hook, `${capitalize(c.angleShort)}: ${lowerFirst(steps[0] ?? c.ts)}.`, cta, tagLine],
        [hook, cta],
      ];
      break;
    case 'linkedin': {
      const list = steps.map((step) => `→ ${step}`).join('\n');
      variants = [
        [
          hook,
          `Most ${c.aud} approach ${c.ts} without a plan, so ${pain(c)}.`,
          `What works instead is ${c.angle}. In practice:`,
          list,
          `The common trap: ${mistakes(c)[0]?.toLowerCase()}.`,
          `This is the heart of ${c.pillar}: small, measurable changes beat big resolutions.`,
          'What would you add?',
          cta,
          tagLine,
        ],
        [hook, cta, tagLine],
      ];
      break;
    }
    case 'facebook':
      variants = [
        [
          hook,
          `If you're one of the ${c.aud} working on ${c.ts}, you know how ${pain(c)}. What helps: ${c.angle}.`,
          `Try this first: ${lowerFirst(steps[0] ?? c.ts)}. Then: ${lowerFirst(steps[1] ?? c.ts)}.`,
          'Which one will you try this week?',
          cta,
          tagLine,
        ],
        [hook, cta],
      ];
      break;
    default: {
      // blog
      const [m1, m2, m3] = mistakes(c);
      const sections = [
        hook,
        `If you're one of the ${c.aud} working on ${c.ts}, you know how ${pain(c)}. This guide walks through ${c.angle}, step by step, so you can put it to work this week.`,
        `## Why ${c.ts} matters for ${c.aud}\nIt sits at the heart of ${c.pillar}. Getting it right early saves time later and makes every other part of ${c.nicheShort} easier.`,
        `## The idea: ${c.angleShort}\nThe approach is ${c.angle}. Instead of changing everything at once, you change one thing, measure it, and keep what works.`,
        `## ${c.n} steps to put it into practice\n${steps.map((step, i) => `${i + 1}. ${step}.`).join('\n')}`,
        `## Common mistakes to avoid\n- ${m1}.\n- ${m2}.\n- ${m3}.`,
        `## Key takeaways\nStart small, measure one thing, and review every week. ${capitalize(c.ts)} gets easier once it is a routine rather than a resolution.`,
        cta,
      ];
      variants = [sections, [hook, sections[1] ?? '', cta]];
    }
  }
  return {
    hook,
    post: fitted(
      c,
      variants.map((parts) => parts.filter(Boolean).join('\n\n')),
    ),
  };
}

function writePost(c: Context, titles: Set<string>, hooks: Set<string>): WriterPost {
  const titleLimit = c.platform === 'blog' ? 70 : c.platform === 'youtube' ? 100 : UNIVERSAL_LIMITS.title;
  const rotateTitle = c.rewrite && mentions(c.reasons, /duplicate|repeats|already used|same title/i) ? 1 : 0;
  const rotateHook = c.rewrite && mentions(c.reasons, /duplicate-hook|hook repeats|repeats the opening|same (hook|opening)/i) ? 1 : 0;
  const title = claim(titleCandidates(c), titles, titleLimit, rotateTitle);
  const hook = claim(
    hookCandidates(c).map((h) => h.text),
    hooks,
    c.platform === 'x' ? 120 : UNIVERSAL_LIMITS.hook,
    rotateHook,
  );
  const cta = ctaFor(c);
  const seoTags = tagsFor(c);
  const draft = c.video ? videoDraft(c, hook, cta, seoTags) : textDraft(c, hook, cta, seoTags);
  return {
    day: c.brief.day,
    platform: c.platform,
    title,
    ...(draft.script ? { script: draft.script } : {}),
    post: draft.post,
    seoTags,
    cta,
    thumbnailPrompt: thumbnailPromptFor(c, title),
  };
}

/**
 * The deterministic writer: content specific to the niche, audience, pillar, topic, angle, goal
 * and platform, always within the platform's limits, each first draft complete (hook, body, the
 * goal's CTA at the end, tags) with its template, hook and details varying from post to post. A
 * post with a critique is rewritten with the strongest hooks (number and question), and a new
 * title or hook when the critique says it repeats another day's, avoiding `taken`.
 */
export function writeOffline(input: WriterInput, seed: string): WriterOutput {
  const critiques = new Map((input.critiques ?? []).map((critique) => [`${critique.day}|${critique.platform}`, critique]));
  // First drafts in plan order, of the whole calendar when given: batches written in parallel
  // compute the same drafts for every post (same seed), so no two days share a title or a hook.
  // A post without a critique comes back exactly as first written, whatever is rewritten around it.
  const titles = new Set<string>();
  const hooks = new Set<string>();
  const key = (post: { day: number; platform: Platform }) => `${post.day}|${post.platform}`;
  const calendar = new Map((input.calendar ?? []).map((brief) => [key(brief), brief]));
  for (const brief of input.posts) if (!calendar.has(key(brief))) calendar.set(key(brief), brief);
  const drafts = new Map(
    [...calendar.values()].map((brief) => [key(brief), writePost(contextFor(input, brief, seed, undefined), titles, hooks)]),
  );
  const posts = input.posts.map((brief) => drafts.get(key(brief))!);
  for (const title of input.taken?.titles ?? []) titles.add(normalizeForComparison(title));
  for (const hook of input.taken?.hooks ?? []) hooks.add(normalizeForComparison(hook));
  // Then the rewrites, each free to keep its own first title unless the critique says it repeats.
  input.posts.forEach((brief, i) => {
    const critique = critiques.get(`${brief.day}|${brief.platform}`);
    const draft = posts[i];
    if (!critique || !draft) return;
    titles.delete(normalizeForComparison(draft.title));
    hooks.delete(normalizeForComparison(draft.script?.hook ?? firstLine(draft.post)));
    posts[i] = writePost(contextFor(input, brief, seed, critique), titles, hooks);
  });
  return { posts };
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .find((line) => line.trim())
    ?.trim() ?? '';
