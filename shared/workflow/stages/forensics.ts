import { forensicsAgent } from '../../agents/forensics';
import type { AttemptRef } from '../../db/workflow-store';
import { runStoredAgent } from '../agent-output';
import { nicheOf, generating } from './common';

export async function analyzeCompetitors(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  const input = {
    niche: nicheOf(campaign),
    competitors: campaign.competitors ?? [],
    platforms: (campaign.platforms ?? []).map((plan) => plan.platform),
  };
  const result = await runStoredAgent(table, campaign, ref, { name: 'forensics', spec: forensicsAgent, input, seed: ref.campaignId }, now);
  return { model: result.model, fresh: result.fresh };
}
