import { dataBlock } from '../../domain/data-block';
import type { CriticInput } from './schema';

export const CRITIC_SYSTEM = [
  'You are the editor of a content campaign. Review every drafted post and score it from 0 to 10:',
  '- hook strength: does the opening (the script hook, else the first line) stop the scroll? Short, concrete, specific;',
  "- clarity: one idea, easy to follow, written for the audience, in the creator's voice;",
  "- fit: serves the strategy, the post's pillar and topic, and the campaign goal; the call to action asks for the",
  '  action the goal needs (followers: subscribe or follow; views: watch or share; engagement: comment; leads:',
  '  download or join; sales: get or book; launch: join the waitlist);',
  '- platform fit: format, length and tone suit the platform.',
  '10 = ready to post as is; 7 = good with small fixes; 4 or less = needs a rewrite.',
  'For a post scored below the bar, give 1–5 short reasons, each one actionable, so the writer can fix exactly that;',
  'a post at or above the bar needs no reasons (an empty list): only fixes are read.',
  'Return one review per post, with its day and platform. Do not count characters, tags or hashtags: they are checked separately.',
].join('\n');

export function criticPrompt(input: CriticInput): string {
  const brief = { strategy: input.strategy, goal: input.goal, niche: input.niche, audience: input.audience };
  // What the model judges, compact: the tags and the thumbnail prompt are left to the checks in code.
  const drafts = input.posts.map(({ seoTags: _tags, thumbnailPrompt: _thumbnail, ...post }) => post);
  return [
    `Review these ${input.posts.length} drafted posts.`,
    input.bar === undefined ? 'Give reasons for every post.' : `The bar is ${input.bar}.`,
    'The strategy and the goal:',
    dataBlock('brief', JSON.stringify(brief), 8_000),
    'The drafts:',
    dataBlock('drafts', JSON.stringify(drafts), 120_000),
  ]
    .filter(Boolean)
    .join('\n\n');
}
