import * as z from '../../schemas/zod';
import { replanningOf } from '../../db/replan-store';
import {
  expectGenerating,
  readAttempt,
  updateProgress,
  WorkflowError,
  type AttemptRef,
  type WorkflowCampaign,
} from '../../db/workflow-store';
import { goalSchema } from '../../schemas/campaign-fields';
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
export const batchInputSchema = z.extend(weekInputSchema, { round: z.number().check(z.int(), z.gte(0), z.lte(3)) });
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

/** The re-plan the workflow runs for (the campaign in_progress with one running, shared/app/replan.ts); undefined in a first generation. */
export const replanOf = (campaign: WorkflowCampaign) => (campaign.status === 'in_progress' ? replanningOf(campaign)?.n : undefined);

/** This attempt's campaign, generating, or in_progress under a running re-plan. */
export async function generating(table: string, ref: AttemptRef) {
  const campaign = await readAttempt(table, ref);
  return replanOf(campaign) === undefined ? expectGenerating(campaign) : campaign;
}

/** The posts a week's stages work on: all of them, or in a re-plan only those its planner changed. */
export function inScope<T extends { replan?: number }>(campaign: WorkflowCampaign, items: readonly T[]): T[] {
  const n = replanOf(campaign);
  return n === undefined ? [...items] : items.filter((item) => item.replan === n);
}

/** The progress shown while generating; a re-plan has its own record (shared/db/replan-store.ts), not the campaign's progress. */
export async function setStep(table: string, ref: AttemptRef, campaign: WorkflowCampaign, step: string, now: string) {
  if (replanOf(campaign) === undefined && campaign.progress?.step !== step) await updateProgress(table, ref, { step }, now);
}

/** Posts the workflow may (re)write: a creator's edit (version > 1) is never overwritten. */
export const generated = (item: ContentRecord) => item.version === 1;

/** The posts a round works on: every generated post in round 0, then those the last critique scored below the bar. */
export function postsOfRound(items: ContentRecord[], round: number, critiqueBar: number): ContentRecord[] {
  return items.filter((item) => generated(item) && (round === 0 || (item.critique !== undefined && item.critique.score < critiqueBar)));
}
