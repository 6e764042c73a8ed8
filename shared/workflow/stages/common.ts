import * as z from 'zod';
import {
  expectGenerating,
  readAttempt,
  updateProgress,
  WorkflowError,
  type AttemptRef,
  type WorkflowCampaign,
} from '../../db/workflow-store';
import { goalSchema } from '../../schemas/campaign';
import type { ContentRecord } from '../../db/workflow-content-store';
import { parseWeekInput, weekInputSchema } from '../batch';

/**
 * What the campaign workflow's agent stages share (one file per stage beside this one, named as
 * its agent in shared/agents/). Each stage reads its inputs from the table (the header, earlier
 * agent outputs, content items) and writes its outputs there; the state carries ids and a batch's
 * `{ week, round }` only.
 */

export const DEFAULT_CRITIQUE_BAR = 7;
const DEFAULT_MAX_CRITIQUE_ROUNDS = 2;
export const WRITE_CONCURRENCY = 10;

/** One item of the Writing Map: a week and its critique round. */
export const batchInputSchema = weekInputSchema.extend({ round: z.number().int().min(0).max(3) });
export type BatchInput = z.infer<typeof batchInputSchema>;

export const parseBatchInput = (input: unknown): BatchInput => parseWeekInput(batchInputSchema, input);

interface Snapshot {
  niche?: string;
  targetAudienceNiche?: string;
  uniqueAngle?: string;
  selfStrengths?: string[];
  selfTopics?: string[];
}
export const snapshotOf = (campaign: WorkflowCampaign) => (campaign.profileSnapshot ?? {}) as Snapshot & Record<string, unknown>;
export const nicheOf = (campaign: WorkflowCampaign) => snapshotOf(campaign).niche ?? 'general';

export function goalOf(campaign: WorkflowCampaign) {
  const parsed = goalSchema.safeParse(campaign.goal);
  if (!parsed.success) throw new WorkflowError('InvalidCampaign', `Campaign ${campaign.campaignId} has no valid goal`);
  return parsed.data;
}

export function critiqueSettings(campaign: WorkflowCampaign) {
  return {
    critiqueBar: campaign.agentConfig?.critiqueBar ?? DEFAULT_CRITIQUE_BAR,
    maxRounds: campaign.agentConfig?.maxCritiqueRounds ?? DEFAULT_MAX_CRITIQUE_ROUNDS,
  };
}

export async function generating(table: string, ref: AttemptRef) {
  return expectGenerating(await readAttempt(table, ref));
}

export async function setStep(table: string, ref: AttemptRef, campaign: WorkflowCampaign, step: string, now: string) {
  if (campaign.progress?.step !== step) await updateProgress(table, ref, { step }, now);
}

/** Posts the workflow may (re)write: a creator's edit (version > 1) is never overwritten. */
export const generated = (item: ContentRecord) => item.version === 1;

/** The posts a round works on: every generated post in round 0, then those the last critique scored below the bar. */
export function postsOfRound(items: ContentRecord[], round: number, critiqueBar: number): ContentRecord[] {
  return items.filter((item) => generated(item) && (round === 0 || (item.critique !== undefined && item.critique.score < critiqueBar)));
}
