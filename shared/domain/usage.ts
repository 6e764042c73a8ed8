import { imageMicroUsd, llmCallMicroUsd } from './pricing';

/**
 * The usage counters of a campaign header (`usage`), added to atomically by the workflow's tasks
 * and read by GET /campaigns/{id}/stats. Every counter is an integer. Calls answered on the
 * creator's own Gemini key are counted apart (`byok…`) and cost the platform nothing, so they never
 * reach `costMicroUsd`, the counter the LLM budget is checked against.
 */
export const USAGE_COUNTERS = [
  'llmCalls',
  'tokensIn',
  'tokensOut',
  'images',
  'costMicroUsd',
  'byokLlmCalls',
  'byokTokensIn',
  'byokTokensOut',
] as const;
export type UsageCounter = (typeof USAGE_COUNTERS)[number];
export type Usage = Record<UsageCounter, number>;

export const ZERO_USAGE: Usage = {
  llmCalls: 0,
  tokensIn: 0,
  tokensOut: 0,
  images: 0,
  costMicroUsd: 0,
  byokLlmCalls: 0,
  byokTokensIn: 0,
  byokTokensOut: 0,
};

/**
 * What one agent run adds: every provider call it made (retries included) and the answering model's
 * tokens; on the creator's own key (`keySource: 'creator'`) in the byok counters, at no cost.
 */
export function llmUsage(result: { model: string; tokensIn: number; tokensOut: number; attempts: number; keySource?: 'creator' }): Usage {
  if (result.keySource === 'creator')
    return { ...ZERO_USAGE, byokLlmCalls: result.attempts, byokTokensIn: result.tokensIn, byokTokensOut: result.tokensOut };
  return {
    ...ZERO_USAGE,
    llmCalls: result.attempts,
    tokensIn: result.tokensIn,
    tokensOut: result.tokensOut,
    costMicroUsd: llmCallMicroUsd(result.model, result.tokensIn, result.tokensOut),
  };
}

/** What one rendered thumbnail adds. */
export function imageUsage(provider: string): Usage {
  return { ...ZERO_USAGE, images: 1, costMicroUsd: imageMicroUsd(provider) };
}

/**
 * The `#usage.<counter> :u<i>` clauses of an UpdateItem's ADD (`#usage` names `usage`, a map that
 * must exist: LoadContext creates it). Counters that are 0 are left out; undefined when nothing is added.
 */
export function usageAddition(usage: Usage): { clauses: string[]; values: Record<string, number> } | undefined {
  const counters = USAGE_COUNTERS.filter((counter) => usage[counter] !== 0);
  if (counters.length === 0) return undefined;
  return {
    clauses: counters.map((counter, i) => `#usage.${counter} :u${i}`),
    values: Object.fromEntries(counters.map((counter, i) => [`:u${i}`, usage[counter]])),
  };
}

/**
 * The creator's monthly usage item (`USER#<uid>` / `USAGE#<yyyy-mm>`): the campaign counters plus
 * the starts and regenerations the quotas count. Flat attributes, each ADDed atomically.
 */
export const MONTHLY_COUNTERS = [...USAGE_COUNTERS, 'campaignsStarted', 'regenerations'] as const;
export type MonthlyCounter = (typeof MONTHLY_COUNTERS)[number];
export type MonthlyUsage = Record<MonthlyCounter, number>;

export function monthlyUsageOf(item: Record<string, unknown> | undefined): MonthlyUsage {
  return Object.fromEntries(MONTHLY_COUNTERS.map((counter) => [counter, Number(item?.[counter] ?? 0)])) as MonthlyUsage;
}

/** `ADD #m0 :m0, …` over the counters that are not 0 (undefined when nothing is added). */
export function monthlyAddition(
  usage: Partial<MonthlyUsage>,
): { expression: string; names: Record<string, string>; values: Record<string, number> } | undefined {
  const counters = MONTHLY_COUNTERS.filter((counter) => (usage[counter] ?? 0) !== 0);
  if (counters.length === 0) return undefined;
  return {
    expression: `ADD ${counters.map((_, i) => `#m${i} :m${i}`).join(', ')}`,
    names: Object.fromEntries(counters.map((counter, i) => [`#m${i}`, counter])),
    values: Object.fromEntries(counters.map((counter, i) => [`:m${i}`, usage[counter]!])),
  };
}
