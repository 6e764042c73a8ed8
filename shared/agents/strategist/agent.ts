import type { AgentSpec } from '../../ai';
import { offlineStrategy } from './offline';
import { SYSTEM, prompt } from './prompt';
import { type StrategistInput, strategySchema, type Strategy } from './schema';

/**
 * The strategist: turns the goal, the platforms, the context analysis, the competitor forensics and
 * the lessons of earlier campaigns into the campaign's strategy: pillars, one theme per week, KPIs
 * and the learning memories it applied (cited by id).
 */

export const strategistAgent: AgentSpec<StrategistInput, Strategy> = {
  name: 'strategist',
  schema: strategySchema,
  system: SYSTEM,
  prompt,
  offline: offlineStrategy,
};
