import type { AgentSpec } from '../../ai';
import { PLANNER_MAX_POSTS } from '../../domain/schedule';
import { offlinePlan } from './offline';
import { SYSTEM, prompt } from './prompt';
import { type PlannerInput, postPlanSchema, type PostPlan } from './schema';

// The calendar's batching lives with the calendar, so the cost estimate (an API function) uses it without the agents.
export { calendarBatches, PLANNER_MAX_POSTS, plannerCalls, type CalendarPost } from '../../domain/schedule';

/**
 * The planner: the posting calendar (days, platforms, formats) is computed in code by
 * shared/domain/schedule.ts; the planner decides what each of those posts is about: its pillar,
 * topic and angle, following the strategy's weekly themes.
 *
 * Limit: one call plans at most PLANNER_MAX_POSTS posts (30 days on four daily platforms fits).
 * A longer calendar (90 days on several platforms reaches a few hundred posts) must be planned in
 * batches of whole weeks, `calendarBatches` splits it; topics are distinct per platform within a
 * batch. The workflow asks for less (`plannerCalls`: one platform, at most PLANNER_CALL_POSTS posts a
 * call, so a call writes at most 4,000 tokens) and runs its calls at once.
 */

/**
 * An entry is about 60–110 tokens (topic ≤ 160 characters, angle ≤ 300, keys); 120 per post plus
 * some slack covers a full batch (no thinking: see plannerAgent). Gemini 2.5 Flash and Flash-Lite accept
 * up to 65,536 output tokens.
 */
export const PLANNER_MAX_OUTPUT_TOKENS = PLANNER_MAX_POSTS * 120 + 1024;

export const plannerAgent: AgentSpec<PlannerInput, PostPlan> = {
  name: 'planner',
  schema: postPlanSchema,
  system: SYSTEM,
  prompt,
  offline: offlinePlan,
  // It fills the strategist's weekly themes and the context's pillars, which are where the
  // reasoning happened; it is on week 1's critical path, so it does not think.
  thinkingBudget: 0,
  maxOutputTokens: PLANNER_MAX_OUTPUT_TOKENS,
};
