import type { AgentSpec } from '../../ai';
import { offlineReport } from './offline';
import { SYSTEM, prompt } from './prompt';
import { type ReporterInput, reporterOutputSchema, type ReporterOutput } from './schema';

/**
 * The reporter: puts a finished campaign's numbers into words — the outcome summary and the
 * lessons (what worked, what failed, recommendations, by platform and pillar), each lesson with
 * the numbers it rests on. The numbers are computed in code (shared/domain/outcome.ts) and given
 * to the model; it is told not to compute or invent any. The offline twin words the same numbers
 * deterministically.
 */

export const reporterAgent: AgentSpec<ReporterInput, ReporterOutput> = {
  name: 'reporter',
  schema: reporterOutputSchema,
  system: SYSTEM,
  prompt,
  offline: offlineReport,
};
