import type { AgentSpec } from '../../ai';
import { offlineContext } from './offline';
import { SYSTEM, prompt } from './prompt';
import { type ContextInput, contextAnalysisSchema, type ContextAnalysis } from './schema';

/**
 * The context analyzer: reads the creator's profile (phase 1 and whatever phase 2 holds) and
 * returns their positioning, what the audience wants, 3–5 content pillars and the voice to write in.
 */

export const contextAgent: AgentSpec<ContextInput, ContextAnalysis> = {
  name: 'context',
  schema: contextAnalysisSchema,
  system: SYSTEM,
  prompt,
  // It reads and summarizes (no plan to weigh up): no thinking, so the strategist starts sooner.
  thinkingBudget: 0,
  offline: offlineContext,
};
