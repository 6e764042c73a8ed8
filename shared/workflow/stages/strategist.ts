import * as z from '../../schemas/zod';
import type { ContextAnalysis } from '../../agents/context';
import type { ForensicsReport } from '../../agents/forensics';
import { strategistAgent, type LearningMemory } from '../../agents/strategist';
import { scheduleRequestOf, type AttemptRef, type WorkflowCampaign } from '../../db/workflow-store';
import { goalSchema } from '../../schemas/campaign-fields';
import { platformSchema } from '../../schemas/common';
import { requireOutput, runStoredAgent } from '../agent-output';
import { nicheOf, goalOf, generating, setStep } from './common';

const memorySchema = z.object({
  memory: z.string(),
  goalType: goalSchema.shape.type,
  platform: platformSchema,
  niche: z.catch(z.string(), ''),
  whatWorked: z.catch(z.array(z.string()), []),
  whatFailed: z.catch(z.array(z.string()), []),
  recommendations: z.catch(z.array(z.string()), []),
  summary: z.catch(z.optional(z.string()), undefined),
});

/** The learning memories frozen into the campaign at start (`insights`); unusable ones are left out. */
function memoriesOf(campaign: WorkflowCampaign): LearningMemory[] {
  const insights = Array.isArray(campaign.insights) ? (campaign.insights as unknown[]) : [];
  return insights.flatMap((insight) => {
    const parsed = memorySchema.safeParse(insight);
    if (!parsed.success) return [];
    const { memory, ...rest } = parsed.data;
    return [{ id: memory, ...rest }];
  });
}

export async function planStrategy(table: string, ref: AttemptRef, now: string) {
  const campaign = await generating(table, ref);
  await setStep(table, ref, campaign, 'strategy', now);
  const [context, forensics] = await Promise.all([
    requireOutput<ContextAnalysis>(table, ref, 'context'),
    requireOutput<ForensicsReport>(table, ref, 'forensics'),
  ]);
  const request = scheduleRequestOf(campaign);
  const input = {
    niche: nicheOf(campaign),
    goal: goalOf(campaign),
    durationDays: request.durationDays,
    platforms: request.platforms.map(({ platform, postsPerWeek }) => ({ platform, postsPerWeek })),
    context,
    forensics,
    memories: memoriesOf(campaign),
  };
  const result = await runStoredAgent(table, campaign, ref, { name: 'strategy', spec: strategistAgent, input, seed: ref.campaignId }, now);
  return { model: result.model, fresh: result.fresh };
}
