import { contextAgent } from '../../agents/context';
import { saveAgentOutput, type AttemptRef } from '../../db/workflow-store';
import { runStoredAgent } from '../agent-output';
import { contextInputOf, freshAnalysis, keepAnalysis } from '../profile-context';
import { snapshotOf, generating } from './common';

/**
 * The context analysis: the profile's own (POST /profile/analyze, or an earlier campaign) when it
 * is newer than the profile's last update, at no LLM call; else the analyzer runs, and its result
 * is kept on the profile for the next campaign (unless the profile changed since the start).
 */
export async function analyzeContext(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const profile = snapshotOf(campaign);
  const reused = freshAnalysis(profile);
  if (reused) {
    await saveAgentOutput(table, ref, 'context', reused, now);
    return { model: 'profile', fresh: false };
  }
  const result = await runStoredAgent(
    table,
    campaign,
    ref,
    { name: 'context', spec: contextAgent, input: contextInputOf(profile), seed: ref.campaignId },
    now,
  );
  if (result.fresh) await keepAnalysis(table, ref.userId, profile, result.output, result.model, now);
  return { model: result.model, fresh: result.fresh };
}
