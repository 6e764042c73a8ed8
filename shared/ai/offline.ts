import { setTimeout as sleep } from 'node:timers/promises';
import { systemInstruction } from '../domain/data-block';
import { LlmSchemaError } from './errors';
import type { AgentCall, Completion, Provider } from './types';
import { checkValue } from './validate';

export const OFFLINE_MODEL = 'offline';

/**
 * The deterministic provider: the agent's offline twin, validated like a model's answer so a twin
 * that drifts from its schema fails here rather than downstream. Tokens are estimated (about four
 * characters per token) so usage metering behaves as with a real model.
 */
export function createOfflineProvider(latencyMs: number): Provider {
  return {
    model: OFFLINE_MODEL,
    async complete<I, O>({ spec, input, seed, prompt }: AgentCall<I, O>): Promise<Completion<O>> {
      if (latencyMs > 0) await sleep(latencyMs);
      const checked = checkValue(spec.schema, spec.offline(input, seed));
      if (!checked.ok) throw new LlmSchemaError(spec.name, OFFLINE_MODEL, checked.problems);
      return {
        output: checked.output,
        tokensIn: estimateTokens(systemInstruction(spec.system).length + prompt.length),
        tokensOut: estimateTokens(JSON.stringify(checked.output).length),
      };
    },
  };
}

function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export { seededRandom } from '../domain/random';
