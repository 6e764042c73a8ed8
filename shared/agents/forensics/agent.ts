import type { AgentSpec } from '../../ai';
import { offlineForensics } from './offline';
import { SYSTEM, prompt } from './prompt';
import { type ForensicsInput, forensicsReportSchema, type ForensicsReport } from './schema';

/**
 * Competitor forensics without scraping: from the handles the creator listed (possibly none), the
 * niche and the campaign's platforms, what those accounts likely do and which gaps are open.
 * Nothing is fetched; every observation is a hypothesis and the output says so.
 */

export const forensicsAgent: AgentSpec<ForensicsInput, ForensicsReport> = {
  name: 'forensics',
  schema: forensicsReportSchema,
  system: SYSTEM,
  prompt,
  // It reads and summarizes (no plan to weigh up): no thinking, so the strategist starts sooner.
  thinkingBudget: 0,
  offline: offlineForensics,
};
