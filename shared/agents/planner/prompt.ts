import { dataBlock } from '../../ai';
import type { PlannerInput } from './schema';

export const SYSTEM = [
  'You are the content planner of a content-campaign team. The posting calendar is fixed.',
  'For every calendar post, return its day and platform unchanged, one content pillar by its exact name,',
  'a topic (a specific working title for that post) and an angle: how the post approaches the topic on its platform, in one short clause',
  '(do not restate the week, its theme or the format: the writer has them).',
  "Follow the strategy's weekly themes: week n covers days 7n-6 to 7n. Spread the pillars evenly across the posts.",
  'Never repeat a topic on the same platform; the same idea may appear on different platforms only when adapted to each.',
  'Return exactly one entry per calendar post, in calendar order.',
].join(' ');

export function prompt(input: PlannerInput): string {
  const calendar = input.posts.map((post) => `day ${post.day} | ${post.platform} | ${post.format}`).join('\n');
  const elsewhere = (input.calendar?.length ?? 0) - input.posts.length;
  return [
    `Plan the topics of these ${input.posts.length} calendar posts (day | platform | format):`,
    calendar,
    elsewhere > 0
      ? `The campaign's other ${elsewhere} posts are planned in separate calls, each week on its own theme: keep these posts to their week's theme.`
      : '',
    dataBlock('strategy', JSON.stringify(input.strategy), 16000),
    dataBlock('content_pillars', JSON.stringify(input.pillars), 8000),
  ]
    .filter(Boolean)
    .join('\n\n');
}
