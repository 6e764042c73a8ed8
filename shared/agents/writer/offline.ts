import { seededRandom } from '../../ai/offline';
import {
  GOAL_CTA,
  isTagFragment,
  promisedCounts,
  REPEAT_SIMILARITY,
  shingled,
  similarityOf,
  type Shingled,
} from '../../domain/content-checks';
import { isStyleTrue, type HookSet, type HookStyle } from '../../domain/hook-styles';
import { nicheFamily } from '../../domain/niche-family';
import {
  hardMax,
  hookLengthFits,
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
  fill,
  nounPhrase,
  pick,
  platformNames,
  shortNiche,
  shorten,
  shuffle,
  type Random,
} from '../common/offline-text';
import { FAMILY_BANKS, type BankItem, type FamilyBank } from './bank';
import type { GoalType, PostBrief, PostCritique, WriterGoal, WriterInput, WriterOutput, WriterPost, WriterScript } from './schema';

/**
 * The deterministic writer. Each post is first an outline (what kind of post, the subject, the N
 * items it delivers, each named with a concrete example or figure, an example scene, the call to
 * action), and its title, hook, script and post are written from that outline, so a count in the
 * title is the count of the list by construction. Material: the brief (topic, pillar), the
 * creator (audience, unique angle, strengths) and the phrasing bank of the niche's family.
 * Titles, hooks and sentences are kept apart across the whole calendar: a candidate too close to
 * one already used (word 3-gram Jaccard ≥ 0.6, the critic's measure) is passed over.
 */

const STOP_WORDS = new Set(
  'a an and are as at be by for from how i in into is it its my of on or our so that the their this to was what when why with you your vs versus about without'.split(
    ' ',
  ),
);

/** Content words of a text, lower-cased, first occurrence kept; fragments ("see", "all", "things") left out. */
export function keywordsOf(value: string): string[] {
  const words = value
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’-]+/u)
    .map((word) => word.replace(/^['’-]+|['’-]+$/gu, ''))
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word) && !isTagFragment(word) && !/^\d+$/u.test(word));
  return [...new Set(words)];
}

/** Creator text made safe to publish: one line, no markup or placeholder tokens, no angle brackets. */
function safe(value: string | undefined, fallback: string): string {
  const stripped = clean(value ?? '')
    .replace(/\{\{[^}]*\}\}|\[[^\]]*\]|[{}]/g, ' ')
    .replace(/lorem\s+ipsum/gi, ' ')
    .replace(/\b(?:TODO|TBD|FIXME|XXX)\b/g, ' ')
    .replace(/[<>#]/g, ' ');
  return bare(stripped) || fallback;
}

const AUDIENCE_QUALIFIERS =
  /\s(?:who|whose|that|which|living|working|studying|looking|trying|wanting|hoping|learning|juggling|starting|with|without|on|in|at|from|during|while|where|when|after|before)\s/iu;
/** Where a topic's noun phrase ends: "side hustles that fit a class schedule" → "side hustles". */
const RELATIVE_CLAUSE = /\s(?:that|which|who|whose|when|while|where|so)\s/iu;
const TWIST = /\s+[—–]\s+|\s+-\s+|:\s+/u;
const DETERMINER = /^(?:the|an?|your|my|our|their)\s+(?=\S)/iu;
const NOT_A_NOUN_PHRASE =
  /^(?:\d|i\b|i['’]|my\b|me\b|we\b|why\b|what\b|how\b|when\b|where\b|which\b|who\b|is\b|are\b|do\b|does\b|can\b|should\b|stop\b|start\b|let['’]s\b|(?:a\s+)?(?:day|week|month|year)s?\s+of\b|a\s+week\b|a\s+day\b)/iu;

/** Whether a phrase reads as a plain noun phrase ("first bank account") rather than a working title. */
function isNounPhrase(value: string): boolean {
  const words = value.split(' ');
  return (
    value.length > 0 &&
    value.length <= 40 &&
    words.length <= 5 &&
    !/[,:;?!()"“”…]/u.test(value) &&
    !NOT_A_NOUN_PHRASE.test(value) &&
    !words.some((word) => /^(?:i|i['’](?:d|m|ve|ll)|you|your|my|our|their|vs\.?|versus)$|\p{L}['’]s$/iu.test(word)) &&
    promisedCounts(value).length === 0
  );
}

/** Lower-case first letter, unless the first word is an acronym ("SPF", "YouTube" stays). */
const lowerFirst = (value: string) => (/^\p{Lu}(?:\p{Ll}|\s)/u.test(value) ? value.charAt(0).toLowerCase() + value.slice(1) : value);

/** Lower-case first letter for a phrase used mid-sentence, unless it starts with a brand (a platform's name). */
function midSentence(value: string): string {
  const first = value.split(' ')[0] ?? '';
  if (Object.values(platformNames).some((name) => name.toLowerCase() === first.toLowerCase())) return value;
  return lowerFirst(value);
}

const squash = (value: string) =>
  value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

// ---------------------------------------------------------------------------------------------
// The outline

type Kind = 'steps' | 'tips' | 'habits' | 'ways' | 'mistakes' | 'myth' | 'story';
const LIST_KINDS = ['steps', 'tips', 'habits', 'ways', 'mistakes'] as const;
type ListKind = (typeof LIST_KINDS)[number];

interface Outline {
  kind: Kind;
  /** The subject said inside sentences: the topic as a noun phrase, else the pillar, else the niche. */
  ts: string;
  /** What the list delivers (empty for a story or a myth). */
  items: BankItem[];
  example: string;
  myth?: { claim: string; answer: string };
  intro: string;
  close: string;
  /** For an article: what to avoid (or, in a mistakes article, what to do), beyond the list. */
  aside: BankItem[];
  /** A second example, added when a critique asks for more substance. */
  more?: string;
}

/** A platform whose post holds a few hundred characters at most (X, Threads): no lists, no stance it cannot state. */
const isShortForm = (platform: Platform) => hardMax(platformRules[platform].post).max <= 500;

/** How many items each platform's post can carry, and whether its posts may be lists at all. */
const LIST_SIZE: Record<Platform, readonly [number, number]> = {
  youtube: [3, 5],
  instagram: [3, 3],
  tiktok: [3, 3],
  x: [2, 2],
  linkedin: [3, 4],
  threads: [2, 2],
  bluesky: [2, 2],
  facebook: [2, 3],
  blog: [4, 5],
};

interface Creator {
  audience: string;
  aud: string;
  niche: string;
  nicheShort: string;
  uniqueAngle: string;
  strengths: readonly string[];
  bank: FamilyBank;
}

interface Context {
  random: Random;
  brief: PostBrief;
  platform: Platform;
  video: boolean;
  rewrite: boolean;
  goal: WriterGoal;
  creator: Creator;
  pillar: string;
  ts: string;
  /** Figures for the slots: a small count, a larger figure, an amount of money. */
  figures: { a: number; b: number; m: string };
  /** The hook styles the campaign tests (then every post gets a hook of each). */
  styles?: readonly HookStyle[];
}

function creatorOf(input: WriterInput): Creator {
  const niche = safe(input.niche, 'content creation');
  const audience = safe(input.audience, 'beginners');
  return {
    niche,
    nicheShort: shortNiche(niche),
    audience,
    aud: nounPhrase(audience, 28, AUDIENCE_QUALIFIERS),
    uniqueAngle: safe(input.creator?.uniqueAngle, ''),
    strengths: (input.creator?.strengths ?? []).map((strength) => safe(strength, '')).filter(Boolean),
    bank: FAMILY_BANKS[nicheFamily(`${niche} ${(input.creator?.topics ?? []).join(' ')}`)],
  };
}

function contextFor(input: WriterInput, creator: Creator, brief: PostBrief, seed: string, critique: PostCritique | undefined): Context {
  // Every round of a campaign shares its seed (the calendar's): a rewrite varies with the critique it answers.
  const random = seededRandom(`${seed}|writer|${brief.day}|${brief.platform}${critique ? `|rewrite|${critique.reasons.join('|')}` : ''}`);
  const pillar = shorten(safe(brief.pillar, safe(input.strategy.pillars[0], creator.nicheShort)), 50);
  const topic = safe(brief.topic, pillar);
  const core = nounPhrase(topic.split(TWIST)[0]!.trim().replace(DETERMINER, ''), 40, RELATIVE_CLAUSE);
  const pillarCore = pillar.split(TWIST)[0]!.trim().replace(DETERMINER, '');
  const subject = isNounPhrase(core) ? core : isNounPhrase(pillarCore) ? pillarCore : creator.nicheShort;
  const currency = /\$|usd|dollar|america|us\b/iu.test(`${input.niche} ${input.audience}`) ? '$' : '€';
  return {
    random,
    brief,
    platform: brief.platform,
    video: requiresScript(brief.platform, brief.format),
    rewrite: critique !== undefined,
    goal: input.goal,
    creator,
    pillar,
    ts: midSentence(shorten(subject, 40)),
    figures: {
      a: 2 + Math.floor(random() * 4),
      b: 10 + 5 * Math.floor(random() * 8),
      m: `${currency}${5 * (2 + Math.floor(random() * 12))}`,
    },
    ...(input.hookStyles?.length && { styles: input.hookStyles }),
  };
}

/** What the campaign has used so far: titles, hooks and sentences (normalized). */
interface Ledger {
  titles: Shingled[];
  hooks: Shingled[];
  sentences: Set<string>;
}

const tooClose = (candidate: Shingled, taken: readonly Shingled[]) =>
  taken.some((used) => used.normalized === candidate.normalized || similarityOf(candidate, used) >= REPEAT_SIMILARITY);

const sentenceKey = (text: string) => normalizeForComparison(text);

/** Fills a template with the post's figures and subject. */
function say(c: Context, template: string, extra: Record<string, string | number> = {}): string {
  return fill(template, { ts: c.ts, aud: c.creator.aud, win: c.creator.bank.win, niche: c.creator.nicheShort, ...c.figures, ...extra });
}

/** Figures of their own for one item, so the items of a list do not all quote the same amount. */
function figuresFor(c: Context): Context['figures'] {
  const currency = c.figures.m.charAt(0);
  return {
    a: 2 + Math.floor(c.random() * 4),
    b: 10 + 5 * Math.floor(c.random() * 8),
    m: `${currency}${5 * (2 + Math.floor(c.random() * 12))}`,
  };
}

/** Up to `count` of `pool`, in random order, whose filled detail no other post has used yet (recorded as used). */
function pickItems(c: Context, pool: readonly BankItem[], count: number, ledger: Ledger): BankItem[] {
  const chosen: BankItem[] = [];
  for (const item of shuffle(c.random, pool)) {
    if (chosen.length === count) break;
    const figures = figuresFor(c);
    const filled = { name: say(c, item.name, figures), detail: say(c, item.detail, figures) };
    const key = sentenceKey(`${filled.name}: ${filled.detail}`);
    if (ledger.sentences.has(key) || ledger.sentences.has(sentenceKey(filled.detail))) continue;
    chosen.push(filled);
  }
  return chosen;
}

function record(ledger: Ledger, items: readonly BankItem[]): void {
  for (const item of items) {
    ledger.sentences.add(sentenceKey(`${item.name}: ${item.detail}`));
    ledger.sentences.add(sentenceKey(item.detail));
  }
}

/** The first sentence of `templates` (shuffled) not used by another post; recorded as used. */
function fresh(c: Context, templates: readonly string[], ledger: Ledger, extra: Record<string, string | number> = {}): string {
  const candidates = shuffle(c.random, templates).map((template) => say(c, template, extra));
  // When every template is used (a subject that repeats across a long calendar), the day makes it new.
  const found =
    candidates.find((candidate) => !ledger.sentences.has(sentenceKey(candidate))) ??
    `${bare(candidates[0] ?? capitalize(c.ts))}, day ${c.brief.day} on ${platformNames[c.platform]}.`;
  ledger.sentences.add(sentenceKey(found));
  return found;
}

const INTROS = [
  'Most {aud} start {ts} without a plan, so the {win} never shows up.',
  'If {ts} feels harder than it should, the fix is usually smaller than you think.',
  'A lot of {aud} get stuck on {ts}, and it rarely takes willpower to fix.',
  'Here is how I would approach {ts} if I were starting again today.',
  'Good {ts} comes from a few concrete moves, not from more effort.',
  'You do not need a new system for {ts}, just a couple of changes that stick.',
  'I get more questions about {ts} than almost anything else in {niche}.',
  'The quickest progress in {ts} comes from fixing what you already do.',
  'Most advice on {ts} is written for someone else, so here is the version for {aud}.',
  'When {ts} goes wrong, it is rarely for lack of trying.',
  'This is the part of {ts} I wish someone had shown me earlier.',
  'Small, boring changes are what make {ts} work for {aud}.',
  'Let us make {ts} simpler than the internet makes it look.',
  'Every week someone asks me where to begin with {ts}.',
];

const ANGLE_INTROS = ['{angle}: that is how I tackle {ts} here.', 'As always on this channel, {angle}, this time for {ts}.'];

const STRENGTH_INTROS = ['For {ts}, I lean on what I do best: {strength}.', 'This is where {strength} helps me explain {ts} to {aud}.'];

const CLOSES = [
  'Which one will you try first for {ts}?',
  'What would you add to this list about {ts}?',
  'Which of these do you already do for {ts}?',
  'Start with one of these this week and see how {ts} changes.',
  'Pick the one that fits your week and give {ts} a fair try.',
  'None of these needs new gear or extra hours, only a decision about {ts}.',
  'Tell me which part of {ts} you want me to cover next.',
  'Try it once before you decide whether it suits your {ts}.',
  'Come back to this list the next time {ts} feels stuck.',
  'If you only change one thing about {ts} this week, make it this.',
];

const KIND_NOUN: Record<ListKind, string> = { steps: 'steps', tips: 'tips', habits: 'habits', ways: 'ways', mistakes: 'mistakes' };

/** The kind a planner topic asks for ("3 mistakes with …" → mistakes), when the family bank can deliver it. */
function kindFromTopic(topic: string): { kind: ListKind; count: number } | undefined {
  const [promise] = promisedCounts(topic);
  if (!promise) return undefined;
  const kind = promise.noun === 'mistakes' ? 'mistakes' : (LIST_KINDS as readonly string[]).includes(promise.noun) ? promise.noun : 'tips';
  return { kind: kind as ListKind, count: promise.count };
}

function outlineFor(c: Context, ledger: Ledger): Outline {
  const bank = c.creator.bank;
  const [fewest, most] = LIST_SIZE[c.platform];
  const asked = kindFromTopic(c.brief.topic);
  const shortForm = isShortForm(c.platform);
  const roll = c.random();
  let kind: Kind;
  if (asked && !shortForm) kind = asked.kind;
  else if (shortForm) kind = roll < 0.75 ? 'story' : 'myth';
  else kind = roll < 0.12 ? 'myth' : roll < 0.2 ? 'story' : pick(c.random, LIST_KINDS);
  const count =
    asked && !shortForm ? Math.min(Math.max(asked.count, fewest), most + 1) : fewest + Math.floor(c.random() * (most - fewest + 1));
  const listKind = (LIST_KINDS as readonly string[]).includes(kind);
  const pool =
    kind === 'mistakes' ? [...bank.mistakes, ...FAMILY_BANKS.general.mistakes] : [...bank.actions, ...FAMILY_BANKS.general.actions];
  let items = listKind ? pickItems(c, pool, count, ledger) : pickItems(c, pool, 1, ledger);
  if (listKind && items.length < 2) {
    kind = 'story';
    items = items.slice(0, 1);
  }
  record(ledger, items);
  const mythPool = [...bank.myths, ...FAMILY_BANKS.general.myths];
  const unused = (text: string) => !ledger.sentences.has(sentenceKey(text));
  const myth =
    kind === 'myth'
      ? shuffle(c.random, mythPool)
          .map((m) => ({ claim: say(c, m.claim), answer: say(c, m.answer) }))
          .find((m) => unused(m.answer) && unused(m.claim))
      : undefined;
  if (kind === 'myth' && !myth) kind = 'story';
  if (myth) for (const text of [myth.claim, myth.answer]) ledger.sentences.add(sentenceKey(text));
  const angle = c.creator.uniqueAngle ? lowerFirst(shorten(c.creator.uniqueAngle, 90)) : '';
  // The creator's own angle or strength opens some posts; the bank's intros the rest.
  const strength = c.creator.strengths.length ? lowerFirst(shorten(pick(c.random, c.creator.strengths), 60)) : '';
  const roll2 = c.random();
  const intro =
    (angle && roll2 < 0.25 ? fresh(c, ANGLE_INTROS, ledger, { angle: capitalize(angle), Ts: capitalize(c.ts) }) : '') ||
    (strength && roll2 >= 0.25 && roll2 < 0.4 ? fresh(c, STRENGTH_INTROS, ledger, { strength }) : '') ||
    fresh(c, INTROS, ledger, { Ts: capitalize(c.ts) });
  const asidePool = kind === 'mistakes' ? bank.actions : bank.mistakes;
  const aside = c.platform === 'blog' ? pickItems(c, asidePool, 2, ledger) : [];
  record(ledger, aside);
  return {
    kind,
    ts: c.ts,
    items,
    aside,
    example: fresh(c, [...bank.examples, ...FAMILY_BANKS.general.examples], ledger),
    ...(myth && { myth }),
    intro,
    close: fresh(c, CLOSES, ledger),
  };
}

// ---------------------------------------------------------------------------------------------
// Title and hook, from the outline

const LIST_TITLES = [
  '{n} {noun} for {ts}',
  '{Ts}: {n} {noun} that work for {aud}',
  '{n} {ts} {noun} for {aud}',
  '{Ts} in practice: {n} {noun}',
  'The {n} {ts} {noun} I teach first',
  '{Ts}, made simple: {n} {noun}',
  '{n} {noun} to get {ts} right',
  'Better {ts}: {n} {noun} for {aud}',
  'How I would fix {ts}: {n} {noun}',
  '{Ts} for {aud}, in {n} {noun}',
  'Simple {ts}: my {n} favourite {noun}',
  '{n} {noun} that changed my {ts}',
];
const MISTAKE_TITLES = [
  '{n} {ts} mistakes {aud} make',
  '{Ts}: {n} mistakes to stop making',
  '{n} mistakes that hold back your {ts}',
  'Avoid these {n} {ts} mistakes',
  '{Ts}: {n} mistakes and their fixes',
  'The {n} {ts} mistakes I see most',
  'Fixing {ts}: {n} common mistakes',
];
const MYTH_TITLES = [
  'The {ts} advice I disagree with, and why',
  '{Ts}: why “{claim}” is wrong',
  '{Ts}: a myth worth dropping',
  'Rethinking {ts}: one common myth',
];
const STORY_TITLES = [
  '{Ts}: one change that worked',
  'What changed my {ts}',
  '{Ts}, a real example',
  'A small {ts} win for {aud}',
  '{Ts}: the example I always share',
  'One {ts} fix I always recommend',
  'How I would start {ts} today',
  '{Ts} without the overwhelm',
  'The {ts} move that surprised me',
  '{Ts}: start smaller than you think',
  'A closer look at {ts} for {aud}',
  '{Ts}, one change at a time',
];

const LIST_HOOKS = [
  'Want better {ts}? Here are {n} {noun}.',
  'Still stuck on {ts}? Try these {n} {noun}.',
  'Could {n} {noun} fix your {ts}?',
  'Which of these {n} {ts} {noun} do you use?',
  'Here are {n} {noun} for {ts} that you can start today.',
  'Do you know these {n} {noun} for {ts}?',
  'Got {b} minutes? Here are {n} {noun} for {ts}.',
  'New to {ts}? Start here: {n} {noun}.',
  'Is {ts} harder than it should be? Try {n} {noun}.',
  'What are the {n} best {noun} for {ts}?',
  'I rely on {n} {noun} for {ts}. Want them?',
  '{aud_cap}, here are {n} {noun} for {ts}.',
];
const MISTAKE_HOOKS = [
  'Are you making these {n} {ts} mistakes?',
  'Is your {ts} suffering from these {n} mistakes?',
  'You might be making {n} mistakes with {ts}.',
  'Stop making these {n} mistakes with {ts}.',
  'Do you recognise these {n} {ts} mistakes?',
  'Which of these {n} {ts} mistakes is yours?',
  '{aud_cap} keep making {n} mistakes with {ts}. Do you?',
];
const MYTH_HOOKS = [
  'You have heard that {claim}. I disagree.',
  'Do you believe {claim}? Here is why not.',
  'Everyone says {claim}. Is that true for your {ts}?',
];
const STORY_HOOKS = [
  'What if {ts} took {b} minutes a day?',
  'Want one {ts} change you can make today?',
  'How much would {m} change your {ts}?',
  'Is your {ts} missing this one move?',
  'Could one small change fix your {ts}?',
  'Ever wondered why {ts} feels so hard?',
  'Can you spare {b} minutes for your {ts}?',
  'What would {m} a week do for your {ts}?',
  'Is this the simplest fix for {ts}?',
  'Why do so many {aud} struggle with {ts}?',
  'Want your {ts} to feel easier this week?',
  'Have you tried this with your {ts} yet?',
  'What does good {ts} look like for you?',
];

function titleAndHookTemplates(kind: Kind, platform: Platform): { titles: readonly string[]; hooks: readonly string[] } {
  const short = isShortForm(platform);
  switch (kind) {
    case 'mistakes':
      return { titles: MISTAKE_TITLES, hooks: MISTAKE_HOOKS };
    case 'myth':
      // A short post may not have room to quote the advice: its title names the myth without disagreeing.
      return { titles: short ? MYTH_TITLES.slice(2) : MYTH_TITLES, hooks: short ? MYTH_HOOKS.slice(0, 1) : MYTH_HOOKS };
    case 'story':
      return { titles: STORY_TITLES, hooks: STORY_HOOKS };
    default:
      return { titles: LIST_TITLES, hooks: LIST_HOOKS };
  }
}

/** Adjacent repeated words ("first first") collapsed into one. */
function undouble(value: string): string {
  const words = value.split(' ');
  return words.filter((word, i) => i === 0 || word.toLowerCase() !== words[i - 1]!.toLowerCase()).join(' ');
}

/** The first candidate that fits `max` and is not too close to a taken one; else the first with a part number. */
function claim(candidates: readonly string[], taken: Shingled[], max: number): string {
  const fitting = candidates.map((candidate) => undouble(shorten(candidate, max))).filter(Boolean);
  for (const candidate of fitting) {
    const prepared = shingled(candidate);
    if (tooClose(prepared, taken)) continue;
    taken.push(prepared);
    return candidate;
  }
  const base = fitting[0] ?? 'New post';
  for (let part = 2; ; part++) {
    const candidate = `${shorten(base, max - 10)} (part ${part})`;
    const prepared = shingled(candidate);
    if (!taken.some((used) => used.normalized === prepared.normalized)) {
      taken.push(prepared);
      return candidate;
    }
  }
}

function titleFor(c: Context, outline: Outline, ledger: Ledger): string {
  const values = {
    n: outline.items.length,
    noun: KIND_NOUN[outline.kind as ListKind] ?? 'tips',
    Ts: capitalize(outline.ts),
    claim: bare(outline.myth?.claim ?? ''),
  };
  const limit = c.platform === 'blog' ? 70 : c.platform === 'youtube' ? 100 : UNIVERSAL_LIMITS.title;
  const ordered = [...shuffle(c.random, titleAndHookTemplates(outline.kind, c.platform).titles), ...shuffle(c.random, STORY_TITLES)].map(
    (template) => say(c, template, values),
  );
  const pillarTitles = [`${capitalize(c.pillar)}: ${say(c, STORY_TITLES[0]!, values)}`, `${capitalize(outline.ts)} for ${c.creator.aud}`];
  return claim(
    [...ordered, ...pillarTitles].filter((title) => title.length <= limit),
    ledger.titles,
    limit,
  );
}

/** A hook that scores fully with the critic: 4–14 words, a number, a question or "you", and the subject. */
function strongHook(hook: string, ts: string): boolean {
  return hookLengthFits(hook) && /\d/u.test(hook) && /\?|\byou/iu.test(hook) && hook.toLowerCase().includes(ts.toLowerCase());
}

function hookFor(c: Context, outline: Outline, ledger: Ledger, previous = ''): string {
  const values = {
    n: outline.items.length,
    noun: KIND_NOUN[outline.kind as ListKind] ?? 'tips',
    claim: bare(outline.myth?.claim ?? ''),
    aud_cap: capitalize(c.creator.aud),
  };
  const templates = titleAndHookTemplates(outline.kind, c.platform).hooks;
  // Story hooks promise no count, so any post can fall back on them.
  const ordered = [...shuffle(c.random, templates), ...shuffle(c.random, STORY_HOOKS)].map((template) =>
    capitalize(say(c, template, values)),
  );
  // A first draft takes an opening of the post's kind that is short enough to land (a myth restated
  // runs long); a rewrite leads with the strongest openings, no shorter than the one it replaces (the post keeps its length).
  const strong = ordered.filter((hook) => strongHook(hook, c.ts));
  const candidates = c.rewrite
    ? [...strong.filter((hook) => hook.length >= previous.length), ...strong, ...ordered]
    : [...ordered.filter(hookLengthFits), ...ordered];
  const hook = claim(candidates, ledger.hooks, c.platform === 'x' ? 110 : 140);
  ledger.sentences.add(sentenceKey(hook));
  return hook;
}

/** Hooks of each testable style; `{n} {noun}` only where the post delivers a list of n. */
const STYLE_HOOKS: Record<Exclude<HookStyle, 'question'>, { list: readonly string[]; any: readonly string[] }> = {
  number: {
    list: [
      '{n} {noun} for {ts} you can start today.',
      '{n} {ts} {noun} that make a real difference.',
      '{n} {noun} that make your {ts} easier this week.',
      '{n} {noun} for {ts}, each one under {b} minutes.',
    ],
    any: [
      '{b} minutes a day is enough to move your {ts} forward.',
      '{b} minutes is all your {ts} needs this week.',
      '{m} a week can change your {ts}, and here is how.',
      '{b} minutes, one plan: the {ts} reset for {aud}.',
    ],
  },
  story: {
    list: ['Picture this: {n} {noun} and your {ts} finally clicks.', 'Imagine your {ts} with these {n} {noun} in place.'],
    any: [
      'Picture this: you sit down for {ts} and know exactly what to do.',
      'Imagine your {ts} taking {b} minutes instead of a whole evening.',
      'A quick story about {ts}, and why it matters to you.',
      'Picture this: {b} minutes, one plan, and your {ts} finally moving.',
      'Imagine a week where your {ts} simply works.',
      'Picture {aud} getting {ts} right on the first try.',
    ],
  },
  contrarian: {
    list: ['Forget doing everything at once: your {ts} needs {n} {noun}.', 'Stop chasing hacks: {n} {noun} fix most {ts}.'],
    any: [
      'Stop overcomplicating {ts}: {b} minutes is enough.',
      'Forget the perfect plan for {ts} and start with one small move.',
      'You do not need more willpower for {ts}, you need a system.',
      'Most {ts} advice is too complicated for {aud}.',
      'Stop waiting for the right moment to start {ts}.',
      'Skip the shortcuts: {ts} gets better with boring basics.',
    ],
  },
};

/** One hook per tested style, each true to its style and not too close to any hook used so far (recorded as used). */
function styledHooks(c: Context, outline: Outline, ledger: Ledger, styles: readonly HookStyle[]): HookSet {
  const values = {
    n: outline.items.length,
    noun: KIND_NOUN[outline.kind as ListKind] ?? 'tips',
    claim: bare(outline.myth?.claim ?? ''),
    aud_cap: capitalize(c.creator.aud),
  };
  const list = outline.items.length >= 2 && (LIST_KINDS as readonly string[]).includes(outline.kind);
  const max = c.platform === 'x' ? 110 : 140;
  const hooks: HookSet = {};
  for (const style of styles) {
    const templates =
      style === 'question'
        ? [...titleAndHookTemplates(outline.kind, c.platform).hooks, ...STORY_HOOKS]
        : [...(list ? STYLE_HOOKS[style].list : []), ...STYLE_HOOKS[style].any];
    const candidates = shuffle(c.random, templates)
      .map((template) => capitalize(say(c, template, values)))
      .filter((hook) => isStyleTrue(style, hook) && hook.length <= max);
    const hook = claim(candidates, ledger.hooks, max);
    ledger.sentences.add(sentenceKey(hook));
    hooks[style] = hook;
  }
  return hooks;
}

// ---------------------------------------------------------------------------------------------
// The call to action and tags

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

const CTA_BANKS: Record<GoalType, readonly string[]> = {
  followers: [
    '{follow} for more {niche} tips for {aud}.',
    "{follow} so you don't miss the next post on {ts}.",
    '{follow} for a new {niche} idea every week.',
  ],
  views: [
    'Watch the next video on {ts} right after this one.',
    'Share this with someone working on {ts}.',
    'Share this with a friend who needs {ts} explained.',
  ],
  engagement: [
    "Comment your biggest question about {ts} and I'll answer it.",
    'Tell me in the comments which one you will try first.',
    'Reply with your own {ts} tip so everyone learns.',
    'Save this and comment the one you want me to film next.',
  ],
  leads: [
    'Download the free {niche} checklist: link {where}.',
    'Sign up for the free {niche} newsletter for {aud}: link {where}.',
    'Grab the free {ts} worksheet: link {where}.',
  ],
  sales: [
    'Get the {offer}: link {where}.',
    'Book your spot and go deeper on {ts}: link {where}.',
    'Ready to go further? Get the {offer}, link {where}.',
  ],
  launch: [
    'Join the waitlist for launch day: link {where}.',
    'Sign up to be first in line when it launches: link {where}.',
    'Join the early list so you catch launch day: link {where}.',
  ],
};

function ctaFor(c: Context): string {
  const follow = c.platform === 'youtube' ? 'Subscribe' : c.platform === 'blog' ? 'Subscribe to the newsletter' : 'Follow';
  const offer = shorten(
    safe(c.goal.metric.replace(/\b(sales|revenue|orders|purchases|conversions)\b/gi, ''), `${c.creator.nicheShort} toolkit`),
    40,
  );
  const wishlist = /wishlist/iu.test(c.goal.metric) && c.goal.type === 'launch';
  const bank = wishlist
    ? ['Wishlist it on Steam so you hear on launch day.', 'Wishlist the game on Steam: link {where}.']
    : CTA_BANKS[c.goal.type];
  const cta = say(c, pick(c.random, bank), { follow, where: LINK_WHERE[c.platform], offer });
  return GOAL_CTA[c.goal.type].pattern.test(cta)
    ? shorten(cta, UNIVERSAL_LIMITS.cta)
    : say(c, CTA_BANKS[c.goal.type][0]!, { follow, where: LINK_WHERE[c.platform], offer });
}

function tagsFor(c: Context): string[] {
  const [fewest, most] = platformGuidance[c.platform].tags;
  // Two at least where two fit: one names the niche, one the topic.
  const wanted = Math.min(
    most,
    Math.max(fewest, 2, c.platform === 'youtube' ? 10 : c.platform === 'blog' ? 6 : fewest + (c.rewrite ? 0 : Math.floor(c.random() * 2))),
  );
  const kind = platformRules[c.platform].tagKind;
  const { niche, nicheShort, aud, bank } = c.creator;
  const ts = c.ts.toLowerCase();
  const pillar = c.pillar.toLowerCase();
  if (kind === 'hashtags') {
    const candidates = [squash(nicheShort), squash(ts), squash(pillar), ...bank.tags, squash(`${nicheShort} tips`), squash(`${ts} tips`)];
    const tags = [...new Set(candidates)].filter((tag) => tag.length >= 3 && tag.length <= 30 && !isTagFragment(tag));
    return tags.slice(0, wanted);
  }
  const phrases = [
    niche.toLowerCase(),
    ts,
    pillar,
    `${ts} for ${aud}`,
    `${nicheShort.toLowerCase()} tips`,
    `${ts} tips`,
    `${ts} for beginners`,
    `${nicheShort.toLowerCase()} for ${aud}`,
    `how to start ${ts}`,
    `${ts} explained`,
    `${nicheShort.toLowerCase()} for beginners`,
    `${pillar} guide`,
    // Enough more for YouTube's 8 when the topic, the pillar and the niche are one phrase (a profile without details).
    `${ts} ideas`,
    `${ts} step by step`,
    `learn ${ts}`,
    `${ts} mistakes to avoid`,
  ];
  const tags: string[] = [];
  for (const phrase of phrases) {
    const tag = shorten(phrase, UNIVERSAL_LIMITS.seoTagChars);
    if (!tag || tags.includes(tag) || isTagFragment(tag)) continue;
    if (kind === 'video-tags' && youtubeTagsLength([...tags, tag]) > (platformRules.youtube.maxTagsTotalChars ?? 500)) continue;
    tags.push(tag);
    if (tags.length >= wanted) break;
  }
  return tags;
}

function thumbnailPromptFor(c: Context, outline: Outline): string {
  const overlay = shorten(
    outline.items.length >= 2 ? `${outline.items.length} ${KIND_NOUN[outline.kind as ListKind] ?? 'tips'}` : outline.ts,
    28,
  ).toUpperCase();
  const style = pick(c.random, [
    'bright photo-real studio shot',
    'bold flat illustration with two accent colours',
    'clean editorial collage',
    'warm, natural-light desk scene',
    'high-energy close-up with a blurred background',
  ]);
  const subject = outline.items[0]
    ? `${lowerFirst(outline.items[0].name)}, shown for ${outline.ts}`
    : `a before-and-after split showing ${outline.ts}`;
  return shorten(`${subject}, ${style}, overlay text "${overlay}" in large bold letters`, 1000);
}

// ---------------------------------------------------------------------------------------------
// Writing the parts from the outline

/**
 * The richest variant that fits the platform's hard limit (measured in its unit), preferring one in
 * its reading range. With hook styles tested, it must fit with any style's hook as its opening too,
 * so a later re-assignment (shared/domain/hook-styles.ts withHook) never breaks the limit.
 */
function fitted(c: Context, variants: readonly string[], hook = '', otherHooks: readonly string[] = []): string {
  const limits = platformRules[c.platform].post.filter((limit) => limit.kind === 'hard');
  const fitsAsIs = (text: string) => limits.every((limit) => measure(text, limit.unit) <= limit.max);
  const fits = (text: string) => fitsAsIs(text) && otherHooks.every((other) => fitsAsIs(text.replace(hook, other)));
  const [min, max] = platformGuidance[c.platform].postChars;
  const readsWell = (text: string) => measure(text, c.platform === 'x' ? 'x-weighted' : 'utf16') <= max && text.length >= min;
  return variants.find((variant) => fits(variant) && readsWell(variant)) ?? variants.find(fits) ?? variants[variants.length - 1] ?? '';
}

const hashtagLine = (tags: readonly string[]) => tags.map((tag) => `#${tag}`).join(' ');
const join = (parts: readonly string[]) => parts.filter(Boolean).join('\n\n');
const itemLine = (item: BankItem) => `${item.name}: ${lowerFirst(item.detail)}`;
const numbered = (items: readonly BankItem[], full = true) =>
  items.map((item, i) => `${i + 1}. ${full ? itemLine(item) : item.name}`).join('\n');
const bulleted = (items: readonly BankItem[], mark: string) => items.map((item) => `${mark} ${itemLine(item)}`).join('\n');

/** The myth stated, then answered (so a title that disagrees with it has the advice in the body). */
const mythLines = (outline: Outline) =>
  outline.myth ? [`You have probably heard “${outline.myth.claim}”.`, `I disagree: ${lowerFirst(outline.myth.answer)}`] : [];

function scriptFor(c: Context, outline: Outline, hook: string, cta: string): WriterScript {
  const label = outline.kind === 'mistakes' ? 'Mistake' : outline.kind === 'steps' ? 'Step' : 'Tip';
  const lines =
    outline.kind === 'myth' || outline.kind === 'story'
      ? [outline.intro, ...mythLines(outline), outline.example, ...outline.items.map((item) => `Show it: ${lowerFirst(itemLine(item))}`)]
      : [outline.intro, ...outline.items.map((item, i) => `${label} ${i + 1}: ${itemLine(item)}`), outline.example];
  const body = c.platform === 'youtube' ? [...lines, outline.close].join('\n') : lines.join('\n');
  return { hook, body, cta };
}

function postFor(
  c: Context,
  outline: Outline,
  hook: string,
  cta: string,
  tags: readonly string[],
  otherHooks: readonly string[] = [],
): string {
  const fit = (variants: readonly string[]) => fitted(c, variants, hook, otherHooks);
  const tagLine = platformRules[c.platform].tagKind === 'hashtags' ? hashtagLine(tags) : '';
  const list = outline.items.length >= 2 && outline.kind !== 'story' && outline.kind !== 'myth';
  const single = outline.items[0];
  const body = list ? numbered(outline.items) : [...mythLines(outline), single ? itemLine(single) : ''].filter(Boolean).join(' ');
  switch (c.platform) {
    case 'youtube': {
      const chapters = [
        '0:00 Intro',
        ...outline.items.map((item, i) => `${['0:40', '2:10', '3:40', '5:10', '6:40'][i]} ${item.name}`),
      ].join('\n');
      return fit([
        join([
          hook,
          outline.intro,
          list ? `In this video:\n${numbered(outline.items)}` : body,
          outline.example,
          outline.more ?? '',
          `Chapters:\n${chapters}`,
          cta,
        ]),
        join([hook, outline.intro, list ? numbered(outline.items) : body, cta]),
      ]);
    }
    case 'x':
    case 'bluesky':
      return fit([
        join([hook, outline.myth ? outline.myth.answer : single ? itemLine(single) : outline.example, cta, tagLine]),
        join([hook, outline.example, cta, tagLine]),
        join([hook, cta, tagLine]),
        join([hook, cta]),
      ]);
    case 'instagram':
    case 'tiktok':
      return fit([
        join([hook, outline.intro, list ? bulleted(outline.items, '•') : body, outline.more ?? '', cta, tagLine]),
        join([hook, list ? numbered(outline.items) : body, cta, tagLine]),
      ]);
    case 'linkedin':
      return fit([
        join([
          hook,
          outline.intro,
          list ? bulleted(outline.items, '→') : body,
          outline.example,
          outline.more ?? '',
          outline.close,
          cta,
          tagLine,
        ]),
        join([hook, list ? bulleted(outline.items, '→') : body, cta, tagLine]),
      ]);
    case 'facebook':
      return fit([
        join([hook, outline.intro, list ? numbered(outline.items) : body, outline.more ?? '', outline.close, cta, tagLine]),
        join([hook, list ? numbered(outline.items) : body, cta, tagLine]),
      ]);
    case 'blog':
      return fit([
        join([
          hook,
          outline.intro,
          list ? `## What you will learn\n${numbered(outline.items)}` : `## The short version\n${body}`,
          `## An example\n${[outline.example, outline.more].filter(Boolean).join(' ')}`,
          outline.aside.length
            ? `## ${outline.kind === 'mistakes' ? 'What to do instead' : 'What to avoid'}\n${bulleted(outline.aside, '-')}`
            : '',
          `## Where to start\n${outline.close}`,
          cta,
        ]),
        join([hook, outline.intro, list ? numbered(outline.items) : body, cta]),
      ]);
    default:
      // Threads, and any short-form platform added later.
      return fit([
        join([hook, body, cta, tagLine]),
        join([hook, outline.myth ? outline.myth.answer : single ? itemLine(single) : outline.example, cta, tagLine]),
        join([hook, cta, tagLine]),
        join([hook, cta]),
      ]);
  }
}

interface Draft {
  post: WriterPost;
  outline: Outline;
}

const mentions = (critique: PostCritique | undefined, pattern: RegExp) => (critique?.reasons ?? []).some((reason) => pattern.test(reason));

/**
 * A post written from its outline. A rewrite keeps the first draft's outline (its items, example
 * and length, which the critic did not fault) and writes a new, stronger hook; a new title when the
 * critique says it repeats; the goal's CTA and tags anew when the critique names them.
 */
function writePost(c: Context, ledger: Ledger, first?: Draft, critique?: PostCritique): Draft {
  const thin = mentions(critique, /add a concrete example|add .*step/iu);
  const outline = first
    ? { ...first.outline, ...(thin && { more: fresh(c, [...c.creator.bank.examples, ...FAMILY_BANKS.general.examples], ledger) }) }
    : outlineFor(c, ledger);
  const title = first && !mentions(critique, /title/iu) ? first.post.title : titleFor(c, outline, ledger);
  const hooks = c.styles && styledHooks(c, outline, ledger, c.styles);
  const hook = hooks
    ? hooks[c.brief.hookStyle ?? c.styles![0]!]!
    : hookFor(c, outline, ledger, first ? (first.post.script?.hook ?? first.post.post.split('\n')[0]) : '');
  const cta = first && !mentions(critique, /call to action|\bcta\b/iu) ? first.post.cta : ctaFor(c);
  const seoTags = first && !mentions(critique, /\btags?\b|hashtag/iu) ? first.post.seoTags : tagsFor(c);
  const post = postFor(c, outline, hook, cta, seoTags, hooks ? Object.values(hooks).filter((other) => other !== hook) : []);
  return {
    outline,
    post: {
      day: c.brief.day,
      platform: c.platform,
      title,
      ...(c.video ? { script: scriptFor(c, outline, hook, cta) } : {}),
      post,
      seoTags,
      cta,
      thumbnailPrompt: thumbnailPromptFor(c, outline),
      ...(hooks && { hooks }),
    },
  };
}

/**
 * The whole calendar's first drafts and the ledger after them, by everything they depend on (the
 * seed, the input but its own posts, critiques and taken): a week's chunks written at once in one
 * process draft the calendar once, not once per call. A few entries: the weeks of a campaign.
 */
const calendarDrafts = new Map<string, { drafts: Map<string, Draft>; ledger: Ledger }>();
const CALENDAR_DRAFTS_KEPT = 8;

function memoizedCalendar(memoKey: string, draft: () => { drafts: Map<string, Draft>; ledger: Ledger }) {
  const known = calendarDrafts.get(memoKey);
  if (known) return known;
  const drafted = draft();
  calendarDrafts.set(memoKey, drafted);
  if (calendarDrafts.size > CALENDAR_DRAFTS_KEPT) calendarDrafts.delete(calendarDrafts.keys().next().value!);
  return drafted;
}

/**
 * Every planned post written from its outline, within the platform's limits. First drafts are
 * written for the whole calendar when given, in plan order, with one ledger: batches written in
 * parallel compute the same drafts (same seed), so no two posts share a title, a hook or a
 * sentence. A post with a critique is rewritten (see writePost) with a hook no other post uses,
 * its first draft's included, and none of the titles and hooks in `taken`. No title or hook is
 * too close to one of the creator's earlier campaigns (`earlier`).
 */
export function writeOffline(input: WriterInput, seed: string): WriterOutput {
  const creator = creatorOf(input);
  const critiques = new Map((input.critiques ?? []).map((critique) => [`${critique.day}|${critique.platform}`, critique]));
  const key = (post: { day: number; platform: Platform }) => `${post.day}|${post.platform}`;
  const calendar = new Map((input.calendar ?? []).map((brief) => [key(brief), brief]));
  for (const brief of input.posts) if (!calendar.has(key(brief))) calendar.set(key(brief), brief);
  const draftCalendar = () => {
    const ledger: Ledger = {
      titles: (input.earlier?.titles ?? []).map(shingled),
      hooks: (input.earlier?.hooks ?? []).map(shingled),
      sentences: new Set(),
    };
    const drafts = new Map(
      [...calendar.values()].map((brief) => [key(brief), writePost(contextFor(input, creator, brief, seed, undefined), ledger)]),
    );
    return { drafts, ledger };
  };
  const { posts: _posts, critiques: _critiques, taken: _taken, ...drafted } = input;
  const first = input.calendar
    ? memoizedCalendar(`${seed}\n${JSON.stringify({ ...drafted, calendar: [...calendar.values()] })}`, draftCalendar)
    : draftCalendar();
  const drafts = first.drafts;
  const ledger: Ledger = { titles: [...first.ledger.titles], hooks: [...first.ledger.hooks], sentences: new Set(first.ledger.sentences) };
  ledger.titles.push(...(input.taken?.titles ?? []).map(shingled));
  ledger.hooks.push(...(input.taken?.hooks ?? []).map(shingled));
  return {
    posts: input.posts.map((brief) => {
      const draft = drafts.get(key(brief))!;
      const critique = critiques.get(key(brief));
      return critique ? writePost(contextFor(input, creator, brief, seed, critique), ledger, draft, critique).post : draft.post;
    }),
  };
}
