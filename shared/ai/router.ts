import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterDelay } from '../core/backoff';
import { logger } from '../core/logger';
import { LlmCallFailed, LlmUnavailable } from './errors';
import type { AgentSpec, LlmResult, Provider, RunContext } from './types';

export interface AgentRunner {
  /** The fallback chain, first choice first. */
  readonly models: readonly string[];
  run<I, O>(spec: AgentSpec<I, O>, input: I, context: RunContext): Promise<LlmResult<O>>;
}

/** Retries of one model on a transient failure before falling back to the next model. */
export const RETRIES_PER_MODEL = 2;

/** Errors that end the call as they are: no retry, no fallback (another model cannot fix them). */
export const NON_RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['QuotaExceeded']);

/**
 * Walks the chain: each model gets RETRIES_PER_MODEL retries with exponential backoff and full
 * jitter on transient failures; any other failure (a schema error included) moves to the next
 * model at once. When every model failed, LlmUnavailable carries the last error.
 */
export function createRouter(providers: readonly Provider[], retryBaseMs: number): AgentRunner {
  if (providers.length === 0) throw new Error('The LLM fallback chain is empty');
  return {
    models: providers.map((p) => p.model),
    async run<I, O>(spec: AgentSpec<I, O>, input: I, { seed }: RunContext): Promise<LlmResult<O>> {
      const call = { spec, input, seed, prompt: spec.prompt(input) };
      const fallbacks: string[] = [];
      let attempts = 0;
      let lastError: unknown;
      for (const provider of providers) {
        for (let retry = 0; ; retry++) {
          attempts++;
          try {
            const completion = await provider.complete(call);
            return { ...completion, model: provider.model, attempts, fallbacks };
          } catch (error) {
            if (error instanceof Error && NON_RETRYABLE_ERRORS.has(error.name)) throw error;
            lastError = error;
            const transient = error instanceof LlmCallFailed && error.transient;
            if (!transient || retry === RETRIES_PER_MODEL) break;
            const delayMs = fullJitterDelay(retryBaseMs, retry);
            logger.warn('LLM call failed, retrying', { agent: spec.name, model: provider.model, retry: retry + 1, delayMs, error });
            await sleep(delayMs);
          }
        }
        fallbacks.push(provider.model);
        logger.warn('LLM model given up', { agent: spec.name, model: provider.model, error: lastError });
      }
      throw new LlmUnavailable(spec.name, fallbacks, lastError);
    },
  };
}
