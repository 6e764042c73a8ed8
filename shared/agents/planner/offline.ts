import { seededRandom } from '../../ai';
import type { Platform } from '../../schemas/common';
import type { WeeklyTheme } from '../strategist/schema';
import {
  capitalize,
  claimDistinct,
  clean,
  clip,
  cutAtWord,
  distinctTexts,
  fill,
  platformNames,
  shuffle,
  type Random,
} from '../common/offline-text';
import type { PlannerInput, PlannedTopic, PostPlan } from './schema';

type Family = 'video' | 'text' | 'long';

const FAMILIES: Record<Platform, Family> = {
  youtube: 'video',
  tiktok: 'video',
  instagram: 'video',
  facebook: 'text',
  x: 'text',
  threads: 'text',
  bluesky: 'text',
  linkedin: 'text',
  blog: 'long',
};

/** Series-style suffixes: "<title> — <twist>" reads naturally after a noun phrase or a full title. */
const TWISTS: Record<Family, string[]> = {
  video: [
    'the 60-second version',
    'step by step',
    'myth vs. reality',
    'the mistakes to avoid',
    'my honest results',
    'before and after',
    'your top question, answered',
    'the one-minute checklist',
    "what I'd do differently",
    'a one-week experiment',
    'one real example, start to finish',
    'beginner edition',
    'the follow-up',
    'the numbers',
  ],
  text: [
    'the thread',
    'the checklist',
    'an unpopular opinion',
    '3 lessons learned',
    'quick poll',
    'the numbers behind it',
    'what most people get wrong',
    'a mini case study',
    'your turn: tell me yours',
    'the one-line rule',
    'before vs. after',
    'my framework',
    'the follow-up',
    'the short version',
  ],
  long: [
    'the complete guide',
    'a deep dive with examples',
    'a case study',
    'FAQ',
    'the step-by-step playbook',
    'tools and resources',
    'common mistakes and fixes',
    'a beginner roadmap',
    'lessons from a month of trying',
    'what changed my mind',
    'comparing the approaches',
    'the annotated checklist',
  ],
};

const ANGLES: Record<Family, string[]> = {
  video: [
    'open on the problem in the first two seconds, show one concrete example on screen, and end with a question for the comments',
    'frame it as a myth to bust, then show the fix viewers can try today',
    'tell it as a short personal story, with the lesson stated in the opening line',
    'lead with the result, then walk back through the steps that got there',
    'answer one real follower question on camera and invite the next one',
    'use a before-and-after structure with on-screen text for each step',
  ],
  text: [
    'state the takeaway in the first line, then back it with three short, concrete points',
    'make it a checklist {platform} readers can save and come back to',
    'share a personal lesson with one number that makes it real, then ask readers for theirs',
    'open with a common belief, disagree with it kindly, and explain why',
    'pose the question first, then give your own answer and invite replies',
  ],
  long: [
    'define the problem, walk through the method with examples, and end with a summary readers can skim',
    'structure it as a step-by-step guide with headings that match what readers search for',
    'build it around one detailed case study and the lessons it teaches',
    'answer the most common questions in FAQ form, each with a concrete example',
  ],
};

/** The strategy's pillars, with the context's example topics; whatever is available when they disagree. */
function resolvePillars(input: PlannerInput): Pillar[] {
  const fromContext = input.pillars.map((p) => ({ name: clip(p.name, 60), examples: p.exampleTopics })).filter((p) => p.name.length > 0);
  const byName = new Map(fromContext.map((p) => [p.name.toLowerCase(), p]));
  const chosen = distinctTexts(input.strategy.pillars.map((name) => clip(name, 60)))
    .map((name) => byName.get(name.toLowerCase()))
    .filter((p): p is (typeof fromContext)[number] => p !== undefined);
  const named = chosen.length > 0 ? chosen : fromContext;
  const pillars: Pillar[] =
    named.length > 0 ? named : distinctTexts(input.strategy.pillars.map((name) => clip(name, 60))).map((name) => ({ name, examples: [] }));
  const unique = new Map<string, Pillar>();
  for (const pillar of pillars) {
    const examples = distinctTexts(pillar.examples.map((e) => cutAtWord(clean(e).replace(/[\s.;:,]+$/u, ''), 110))).filter(
      (e) => e.toLowerCase() !== pillar.name.toLowerCase(),
    );
    if (!unique.has(pillar.name.toLowerCase())) unique.set(pillar.name.toLowerCase(), { name: pillar.name, examples });
  }
  if (unique.size === 0) {
    const name = clip(input.strategy.weeklyThemes[0]?.theme ?? 'Core series', 60) || 'Core series';
    unique.set(name.toLowerCase(), { name, examples: [] });
  }
  return [...unique.values()];
}

function themeOf(themes: readonly WeeklyTheme[], week: number): WeeklyTheme | undefined {
  const earlier = themes.filter((t) => t.week <= week).sort((a, b) => b.week - a.week)[0];
  return earlier ?? [...themes].sort((a, b) => a.week - b.week)[0];
}

interface Pillar {
  name: string;
  /** The pillar's example topics, usable as titles by themselves. */
  examples: string[];
}

/**
 * The topics one platform can take from one pillar, in order: each example topic as it is, then
 * series variants ("<title> — <twist>") of the pillar's name and examples, rotating both.
 */
function topicQueue(pillar: Pillar, family: Family, random: Random): string[] {
  const examples = shuffle(random, pillar.examples);
  const subjects = [pillar.name, ...examples];
  const twists = shuffle(random, TWISTS[family]);
  const queue = examples.map(capitalize);
  for (let round = 0; round < twists.length; round++) {
    subjects.forEach((subject, s) => queue.push(`${capitalize(subject)} — ${twists[(round + s) % twists.length]}`));
  }
  return queue;
}

export function offlinePlan(input: PlannerInput, seed: string): PostPlan {
  const random = seededRandom(`planner|${seed}`);
  const pillars = resolvePillars(input);
  const themes = input.strategy.weeklyThemes;
  const perPlatform = new Map<Platform, number[]>();
  const overall = pillars.map(() => 0);
  const offsets = new Map<Platform, number>();
  const queues = new Map<string, { items: string[]; next: number }>();
  const taken = new Map<Platform, Set<string>>();
  const everywhere = new Set<string>();

  const planned = (input.calendar ?? input.posts).map((post): PlannedTopic => {
    const week = Math.ceil(post.day / 7);
    const theme = themeOf(themes, week);
    const themeText = clean(`${theme?.theme ?? ''} ${theme?.focus ?? ''}`).toLowerCase();

    // Pillar: least used on this platform, then least used overall, then the one this week's
    // theme names, then round-robin from a seeded start per platform.
    const counts = perPlatform.get(post.platform) ?? pillars.map(() => 0);
    perPlatform.set(post.platform, counts);
    if (!offsets.has(post.platform)) offsets.set(post.platform, Math.floor(random() * pillars.length));
    const done = counts.reduce((a, b) => a + b, 0);
    const rotation = (i: number) => (i - offsets.get(post.platform)! - done + pillars.length * (done + 1)) % pillars.length;
    const inTheme = (i: number) => (themeText.includes(pillars[i]!.name.toLowerCase()) ? 0 : 1);
    const index = pillars
      .map((_, i) => i)
      .sort((a, b) => counts[a]! - counts[b]! || overall[a]! - overall[b]! || inTheme(a) - inTheme(b) || rotation(a) - rotation(b))[0]!;
    counts[index]! += 1;
    overall[index]! += 1;
    const pillar = pillars[index]!;

    // Topic: the next subject × twist pair not yet used on this platform.
    const family = FAMILIES[post.platform] ?? 'text';
    const key = `${post.platform}|${pillar.name}`;
    const queue = queues.get(key) ?? { items: topicQueue(pillar, family, random), next: 0 };
    queues.set(key, queue);
    const used = taken.get(post.platform) ?? new Set<string>();
    taken.set(post.platform, used);
    const upcoming = [...queue.items.slice(queue.next), ...queue.items.slice(0, queue.next)];
    // Topics new to every platform first; a topic another platform already has comes after them.
    const fresh = upcoming.filter((t) => !everywhere.has(t.toLowerCase()));
    const candidates = [...fresh, ...upcoming, ...upcoming.slice(0, 1).map((t) => `${t} (week ${week})`)];
    const topic = claimDistinct(candidates, used, 160);
    everywhere.add(topic.toLowerCase());
    const position = upcoming.indexOf(topic);
    queue.next = position >= 0 ? (queue.next + position + 1) % queue.items.length : queue.next;

    const body = fill(ANGLES[family][Math.floor(random() * ANGLES[family].length)]!, {
      pillar: pillar.name,
      platform: platformNames[post.platform] ?? post.platform,
    });
    // The week's theme and the format are in the strategy and the calendar already: the angle says only the approach.
    const angle = clip(`${capitalize(body)}.`, 300);

    return { day: post.day, platform: post.platform, pillar: pillar.name, topic, angle };
  });
  if (!input.calendar) return { posts: planned };
  const byKey = new Map(planned.map((topic) => [`${topic.day}|${topic.platform}`, topic]));
  return { posts: input.posts.flatMap((post) => byKey.get(`${post.day}|${post.platform}`) ?? []) };
}
