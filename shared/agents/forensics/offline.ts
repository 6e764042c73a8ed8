import { seededRandom } from '../../ai';
import type { Platform } from '../../schemas/common';
import { capitalize, phrase, clip, distinctTexts, fill, joinList, pick, platformNames, shuffle } from '../common/offline-text';
import { type ForensicsInput, MAX_COMPETITORS, type CompetitorInsight, type ForensicsReport } from './schema';

const HOSTS: [RegExp, Platform][] = [
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'youtube'],
  [/(^|\.)tiktok\.com$/, 'tiktok'],
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)(x\.com|twitter\.com)$/, 'x'],
  [/(^|\.)linkedin\.com$/, 'linkedin'],
  [/(^|\.)threads\.(net|com)$/, 'threads'],
  [/(^|\.)bsky\.app$/, 'bluesky'],
  [/(^|\.)(facebook\.com|fb\.com)$/, 'facebook'],
];

interface Handle {
  raw: string;
  /** `@name`, a site's host, or the text as given. */
  label: string;
  platform?: Platform;
}

/** What a handle or profile URL says by itself: the account name and, for a URL, its platform. */
export function parseHandle(raw: string): Handle {
  const given = raw.trim();
  const looksLikeUrl = /^https?:\/\//i.test(given) || /^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(given);
  if (looksLikeUrl) {
    try {
      const url = new URL(/^https?:\/\//i.test(given) ? given : `https://${given}`);
      const host = url.hostname.toLowerCase().replace(/^www\./, '');
      const platform = HOSTS.find(([pattern]) => pattern.test(host))?.[1];
      const segments = url.pathname.split('/').filter(Boolean);
      const nameSegment = ['c', 'user', 'in', 'company', 'channel'].includes(segments[0] ?? '') ? segments[1] : segments[0];
      if (platform && nameSegment) return { raw, label: clip(`@${decodeSafe(nameSegment).replace(/^@/, '')}`, 60), platform };
      return { raw, label: clip(host, 60), platform: platform ?? 'blog' };
    } catch {
      // not a URL after all: treated as a plain handle below
    }
  }
  const name = clip(given, 60);
  return { raw, label: name.startsWith('@') || name.includes(' ') ? name : `@${name}` };
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const FORMATS: Record<Platform, string> = {
  youtube: 'videos and Shorts',
  tiktok: 'short videos',
  instagram: 'Reels and carousels',
  x: 'posts and threads',
  linkedin: 'text posts and document carousels',
  threads: 'short text posts',
  bluesky: 'short text posts with images',
  facebook: 'posts, Reels and group discussions',
  blog: 'articles and newsletters',
};

const CADENCES: Record<Platform, string> = {
  youtube: '1–2 long videos a week, with Shorts in between',
  tiktok: 'daily or near-daily short videos',
  instagram: '3–5 Reels or carousels a week, with Stories most days',
  x: 'several posts a day, with a longer thread once or twice a week',
  linkedin: '2–4 posts a week, on weekday mornings',
  threads: 'one or more short posts a day',
  bluesky: 'one to three short posts a day',
  facebook: '3–5 posts a week',
  blog: '2–4 articles a month',
};

const STYLES = [
  'beginner-friendly explainers and list-style tips',
  'personal stories that end on a lesson',
  'reactions to {niche} news and trends',
  'step-by-step tutorials with a visible result',
  'myth-busting takes that challenge common {niche} advice',
  'challenges and experiments documented over several posts',
];

const COUNTERS = [
  'answer the follow-up questions their posts leave in the comments',
  'show the full process with real numbers instead of the highlight',
  'go one level deeper on a single {niche} problem per post',
  'speak to one specific audience instead of everyone in {niche}',
];

const HOOKS = [
  'Contrarian opener: "Stop doing this if you care about {niche}"',
  'Numbered promise: "5 {niche} tips I wish I knew sooner"',
  'Curiosity gap: "Nobody talks about this part of {niche}"',
  'Result first: "How I finally got results in {niche} in 30 days"',
  'Direct question: "Are you making this {niche} mistake?"',
  'Challenge: "I tried every {niche} hack for a week"',
  'Relatable pain: "If {niche} feels overwhelming, start here"',
];

const GAPS = [
  'Beginner questions in {niche} mostly get long, generic answers; a series of under-60-second answers on {p1} can own the quick-answer slot.',
  'Few {niche} accounts show real numbers or a start-to-finish journey; documenting one week by week builds trust that is hard to copy.',
  'Comment sections in {niche} are full of unanswered questions; turning them into posts on {p2} is an open lane.',
  'One idea adapted natively for {all} compounds reach without tripling the work; most {niche} creators just cross-post the same cut.',
  'Most {niche} content speaks to everyone; naming one specific audience in the hook stands out in a crowded feed.',
  'Long-form depth is thin in {niche}: a cornerstone piece gives the shorter {p1} posts something to point to.',
  'Myths in {niche} keep circulating because nobody corrects them kindly; a recurring myth-vs-fact format on {p2} fills that gap.',
];

export function offlineForensics(input: ForensicsInput, seed: string): ForensicsReport {
  const random = seededRandom(`forensics|${seed}`);
  const niche = phrase(input.niche, 60, 'this niche');
  const platforms = input.platforms.length > 0 ? [...new Set(input.platforms)] : (['instagram'] as Platform[]);
  const platformList = joinList(platforms.map((p) => platformNames[p]));
  const handles = distinctTexts(input.competitors).slice(0, MAX_COMPETITORS).map(parseHandle);
  const values = { niche, Niche: capitalize(niche) };

  const disclaimer =
    handles.length > 0
      ? `No scraping was done: no account, profile or post was visited or downloaded. This analysis reasons only from what the creator provided (${handles.length} competitor handle${handles.length === 1 ? '' : 's'} and the niche) and general knowledge of ${niche} content on ${platformList}; every observation is a hypothesis to verify against the accounts themselves.`
      : `No scraping was done and no competitor handles were provided, so no specific account was analysed. This analysis reasons only from what the creator provided (the niche) and general knowledge of ${niche} content on ${platformList}.`;

  const styles = shuffle(random, STYLES);
  const competitors = handles.map((handle, i): CompetitorInsight => {
    const platform = handle.platform ?? platforms[i % platforms.length]!;
    const where = handle.platform
      ? platformNames[platform]
      : `${platformNames[platform]} (assumed from the campaign's platforms; the handle does not say)`;
    const style = fill(styles[i % styles.length]!, values);
    return {
      handle: clip(handle.raw, 300),
      likelyContent: clip(
        `Judging from the handle alone, ${handle.label} most likely publishes ${niche} ${FORMATS[platform]} on ${where}, leaning on ${style}. Check this against their last 10 posts before copying anything.`,
        500,
      ),
      hooks: shuffle(random, HOOKS)
        .slice(0, 3)
        .map((hook) => clip(fill(hook, values), 200)),
      cadence: clip(
        `Likely ${CADENCES[platform]}, which is typical for established ${niche} accounts on ${platformNames[platform]}; not measured.`,
        300,
      ),
    };
  });

  const gapValues = {
    ...values,
    p1: platformNames[platforms[0]!],
    p2: platformNames[platforms[1 % platforms.length]!],
    all: platformList,
  };
  const gaps = shuffle(random, GAPS)
    .slice(0, handles.length > 0 ? 3 : 4)
    .map((gap) => fill(gap, gapValues));
  if (handles.length > 0) {
    const named = joinList(handles.slice(0, 3).map((h) => h.label));
    const counter = fill(pick(random, COUNTERS), values);
    gaps.unshift(`${named} likely lean on ${fill(styles[0]!, values)}; to stand apart, ${counter}.`);
  }

  return {
    disclaimer: clip(disclaimer, 600),
    competitors,
    gaps: gaps.map((gap) => clip(gap, 300)),
  };
}
