import { setTimeout as sleep } from 'node:timers/promises';
import { systemInstruction } from '../domain/data-block';
import { thinkingBudgetOf } from './config';
import { LlmSchemaError } from './errors';
import type { AgentCall, Completion, Provider } from './types';
import { checkValue } from './validate';

export const OFFLINE_MODEL = 'offline';

/**
 * How long a model takes to answer: a first-token delay, then the tokens it writes (its thinking,
 * the agent's thinking budget, included) at its throughput. The offline provider waits `timeScale` of that (0: not at all), so a
 * bench can run the model's time scaled down and convert its measurements back.
 */
export interface LatencyModel {
  /** Share of the modelled time really waited: 0 none, 1 all of it. */
  timeScale: number;
  firstTokenMs: number;
  tokensPerSecond: number;
}

export const NO_LATENCY: LatencyModel = { timeScale: 0, firstTokenMs: 0, tokensPerSecond: 1 };

/** The modelled time of one call that thinks `thinkingTokens` and writes `tokensOut` tokens, unscaled. */
export const modelledLatencyMs = (model: LatencyModel, tokensOut: number, thinkingTokens: number) =>
  model.firstTokenMs + ((tokensOut + thinkingTokens) / model.tokensPerSecond) * 1000;

/**
 * The deterministic provider: the agent's offline twin, validated like a model's answer so a twin
 * that drifts from its schema fails here rather than downstream. Tokens are estimated (about four
 * characters per token) so usage metering behaves as with a real model; with a time scale it
 * answers after its latency model's time for that many tokens.
 */
export function createOfflineProvider(latency: LatencyModel): Provider {
  return {
    model: OFFLINE_MODEL,
    async complete<I, O>({ spec, input, seed, prompt }: AgentCall<I, O>): Promise<Completion<O>> {
      const checked = checkValue(spec.schema, spec.offline(input, seed));
      if (!checked.ok) throw new LlmSchemaError(spec.name, OFFLINE_MODEL, checked.problems);
      const tokensOut = estimateTokens(JSON.stringify(checked.output).length);
      // A model thinks up to its budget; the twin counts the whole budget, the worst case.
      const thinkingTokens = thinkingBudgetOf(spec);
      if (latency.timeScale > 0) await sleep(modelledLatencyMs(latency, tokensOut, thinkingTokens) * latency.timeScale);
      return {
        output: checked.output,
        tokensIn: estimateTokens(systemInstruction(spec.system).length + prompt.length),
        tokensOut,
        thinkingTokens,
      };
    },
  };
}

/** The offline provider's token count of a text's length: about four characters a token. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export { seededRandom } from '../domain/random';
