import { dataBlock } from '../../ai';
import { MAX_MEMORIES, type StrategistInput, weeksIn, totalPosts } from './schema';

export const SYSTEM = [
  "You are the campaign strategist of a content-campaign team. Turn the creator's context analysis, the competitor analysis and the lessons of earlier campaigns into this campaign's strategy:",
  '- summary: the plan in a few sentences, naming the goal and its numbers;',
  '- positioning: how the creator should come across during this campaign;',
  '- pillars: the content pillars to use, by their exact names from the context analysis;',
  '- weeklyThemes: exactly one theme for every week of the campaign, from week 1 to the last week, each with a focus that moves the goal forward;',
  "- kpis: measurable targets, the goal's own metric and target first, then per platform where useful;",
  '- appliedMemories: for each learning memory you used, its exact id and how it changed the plan. Prefer memories with the same goal type, then the same platform, then the same niche; return an empty list when none applies.',
  "Base every number on the goal's numbers and the posting cadence; do not invent past results.",
].join('\n');

export function prompt(input: StrategistInput): string {
  const weeks = weeksIn(input.durationDays);
  const { goal } = input;
  const memories = input.memories.slice(0, MAX_MEMORIES);
  return [
    `Plan a ${input.durationDays}-day campaign: ${weeks} weeks, so weeklyThemes must have weeks 1 to ${weeks}.`,
    `Goal type: ${goal.type}. Target: ${goal.target}${goal.baseline !== undefined ? ` (baseline today: ${goal.baseline})` : ''}.`,
    `Platforms and posts per week: ${input.platforms.map((p) => `${p.platform} ${p.postsPerWeek}`).join(', ')} (${totalPosts(input)} posts in all).`,
    dataBlock('goal_metric', goal.metric, 200),
    dataBlock('niche', input.niche, 200),
    dataBlock('context_analysis', JSON.stringify(input.context), 8000),
    dataBlock('competitor_analysis', JSON.stringify(input.forensics), 10000),
    memories.length > 0
      ? dataBlock('learning_memories', JSON.stringify(memories), 12000)
      : 'There are no learning memories from earlier campaigns: return an empty appliedMemories list.',
  ].join('\n\n');
}
