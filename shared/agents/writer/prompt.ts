import { dataBlock } from '../../domain/data-block';
import { brandAssetsBlock } from '../../domain/brand-assets';
import { hardMax, HOOK_WORDS, platformGuidance, platformRules, type LengthUnit } from '../../domain/platform-rules';
import type { Platform } from '../../schemas/common';
import { HOOK_STYLE_RULES } from '../../domain/hook-styles';
import { capitalize, platformNames } from '../common/offline-text';
import type { WriterInput } from './schema';

const UNIT_WORDS: Record<LengthUnit, string> = {
  utf16: 'characters',
  'utf8-bytes': 'bytes (UTF-8)',
  'x-weighted': 'weighted characters (URLs 23, emoji and CJK 2)',
  threads: 'characters',
  graphemes: 'characters (graphemes: an emoji counts 1)',
};

/** The hard limits of the platforms a call writes for (a call is one platform's posts: a line, not all eight). */
function limitsTable(platforms: ReadonlySet<Platform>): string {
  return (Object.keys(platformRules) as Platform[])
    .filter((platform) => platforms.has(platform))
    .map((platform) => {
      const rules = platformRules[platform];
      const post = hardMax(rules.post);
      const title = rules.title.reduce((a, b) => (b.max < a.max ? b : a));
      const parts = [
        `${capitalize(platformNames[platform])} (${platform}): ${rules.postRole} ≤ ${post.max} ${UNIT_WORDS[post.unit]}`,
        `title ≤ ${title.max}${title.kind === 'soft' ? ' (SEO)' : ''}${rules.titlePublished ? ', published' : ', internal label'}`,
      ];
      if (rules.maxTagsTotalChars) parts.push(`tags ≤ ${rules.maxTagsTotalChars} characters in total`);
      if (rules.maxHashtags) parts.push(`≤ ${rules.maxHashtags} hashtag${rules.maxHashtags > 1 ? 's' : ''} in caption and tags together`);
      if (rules.forbiddenChars) parts.push(`no ${[...rules.forbiddenChars].join(' or ')}`);
      const [min, max] = platformGuidance[platform].postChars;
      parts.push(`reads best at ${min}–${max} characters`);
      return `- ${parts.join('; ')}`;
    })
    .join('\n');
}

export const WRITER_SYSTEM = [
  'You are the writer of a content campaign for one creator. For every planned post you receive, write',
  "ready-to-post content for its platform, in the creator's language and voice, serving the strategy and the goal.",
  '',
  'Rules:',
  '- Return exactly one entry per planned post, with the same day and platform.',
  '- title: specific to the topic and angle; no two days may share a title or an opening line.',
  `- script (video formats only: video, short video, reel): hook = the first 1–3 seconds, ${HOOK_WORDS.min}–${HOOK_WORDS.max} words, concrete`,
  '  (a number, a question or a bold claim about the topic); body = the beats, one per line; cta = spoken.',
  '- post: the text exactly as published (YouTube description with chapters, caption, post, or for the blog an',
  '  article intro followed by an outline with ## headings). Open with the hook. End with the call to action.',
  '- cta: one action tied to the goal (followers: subscribe or follow; views: watch or share; engagement: comment;',
  '  leads: download or join; sales: get or book; launch: join the waitlist).',
  '- seoTags: YouTube tags, hashtags without # (also written in the caption), or blog keywords.',
  "- thumbnailPrompt: the thumbnail's or cover's picture in one short sentence (subject, style, overlay text); the platform's format and the image rules are added to it.",
  '- Never write placeholder text (lorem ipsum, TODO, [insert …], {{…}}); invent nothing about the creator.',
  '- When critiques are given for a post, rewrite that post so every reason is addressed.',
  '- Keep within the platform limits the prompt lists (hard: a post over a limit is rejected).',
].join('\n');

export function writerPrompt(input: WriterInput): string {
  const brief = {
    strategy: input.strategy,
    voice: input.voice,
    language: input.language,
    goal: input.goal,
    niche: input.niche,
    audience: input.audience,
    ...(input.creator && { creator: input.creator }),
  };
  const critiques = input.critiques ?? [];
  // Only the weeks this call writes: the calls written beside it. Earlier weeks reach a rewrite through `taken`.
  const weeks = new Set(input.posts.map((post) => Math.ceil(post.day / 7)));
  const others = (input.calendar ?? [])
    .filter(
      (post) => weeks.has(Math.ceil(post.day / 7)) && !input.posts.some((own) => own.day === post.day && own.platform === post.platform),
    )
    .map(({ day, platform, topic }) => ({ day, platform, topic }));
  return [
    `Write ${input.posts.length} posts: one per planned post below.`,
    `Platform limits:\n${limitsTable(new Set(input.posts.map((post) => post.platform)))}`,
    critiques.length ? `${critiques.length} of them were criticized in the previous round: rewrite those to address every reason.` : '',
    'The creator, the strategy and the voice:',
    dataBlock('brief', JSON.stringify(brief), 12_000),
    'The planned posts (day, platform, format, pillar, topic, angle):',
    dataBlock('posts', JSON.stringify(input.posts), 24_000),
    critiques.length ? `The previous round's critiques:\n${dataBlock('critiques', JSON.stringify(critiques), 16_000)}` : '',
    others.length
      ? `The rest of the week, written separately (do not write these; keep your titles and openings distinct from theirs):\n${dataBlock('calendar', JSON.stringify(others), 12_000)}`
      : '',
    input.hookStyles?.length
      ? [
          `Hook styles tested across the campaign: for every post also return \`hooks\`, one opening line per style (${input.hookStyles.join(', ')}), each true to its style, distinct from every other hook:`,
          ...input.hookStyles.map((style) => `- ${style}: ${HOOK_STYLE_RULES[style].meaning}`),
          "Open each post (and its script) with the hook of the post's hookStyle.",
        ].join('\n')
      : '',
    input.brandAssets?.length
      ? `The creator's brand assets (refer to them in thumbnail prompts and visuals where they fit):\n${brandAssetsBlock(input.brandAssets)}`
      : '',
    input.taken?.titles.length || input.taken?.hooks.length
      ? `Titles and opening lines other days of the campaign already use (use none of them again):\n${dataBlock('taken', JSON.stringify(input.taken), 16_000)}`
      : '',
    input.earlier?.titles.length || input.earlier?.hooks.length
      ? `Titles and opening lines of the creator's earlier campaigns (use none of them again, nor a close variant):\n${dataBlock('earlier', JSON.stringify(input.earlier), 16_000)}`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}
