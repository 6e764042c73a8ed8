import type { GoogleGenAI } from '@google/genai';
import { resolveApiKey } from './api-key';
import { creatorModels, platformModels } from './chain';
import { readAiConfig } from './config';
import { resolveCreatorKey, noteCreatorKeyUse } from './creator-key';
import { createOfflineProvider, OFFLINE_MODEL, type LatencyModel } from './offline';
import { createRouter, type AgentRunner } from './router';
import type { AgentCall, AgentSpec, LlmResult, Provider, RunContext } from './types';

export { resolveApiKey } from './api-key';
export { DEFAULT_MAX_OUTPUT_TOKENS, readAiConfig, THINKING_BUDGET, thinkingBudgetOf, type AiConfig } from './config';
export { dataBlock, DATA_BLOCK_RULE } from '../domain/data-block';
export { LlmCallFailed, LlmSchemaError, LlmUnavailable } from './errors';
export { CREATOR_KEY_CACHE_MS } from './creator-key';
export { estimateTokens, modelledLatencyMs, NO_LATENCY, OFFLINE_MODEL, seededRandom, type LatencyModel } from './offline';
export { NON_RETRYABLE_ERRORS, RETRIES_PER_MODEL, type AgentRunner } from './router';
export type { AgentSpec, LlmResult, RunContext } from './types';

export { creatorModels, DEFAULT_MODELS, platformModels } from './chain';

/** What a runner is built from: readAiConfig's values, with the key as resolveApiKey found it. */
export interface RunnerOptions {
  apiKey?: string;
  /** The fallback chain; defaults to DEFAULT_MODELS with a key, `offline` without. */
  models?: readonly string[];
  timeoutMs: number;
  retryBaseMs: number;
  offlineLatency: LatencyModel;
}

/** The Gemini SDK's module, loaded on first use: a container that runs offline never loads it. */
const loadGemini = () => import('./gemini');
type GeminiModule = Awaited<ReturnType<typeof loadGemini>>;

/** Whether Gemini accepts `apiKey` (gemini.ts), loading the SDK for it. */
export async function checkGeminiKey(apiKey: string, model: string, timeoutMs: number): Promise<'valid' | 'invalid' | 'unavailable'> {
  return (await loadGemini()).checkGeminiKey(apiKey, model, timeoutMs);
}

/**
 * Builds the chain's providers. A Gemini model's provider loads the SDK and creates the client (and
 * so reads the base URL from GOOGLE_GEMINI_BASE_URL) at its first call, one client for the chain.
 * Without a key the default chain is `offline` alone.
 */
export function createAgentRunner(options: RunnerOptions): AgentRunner {
  const { apiKey, timeoutMs } = options;
  const models = platformModels(options.models, Boolean(apiKey));
  let connected: Promise<{ gemini: GeminiModule; client: GoogleGenAI }> | undefined;
  const providers = models.map((model): Provider => {
    if (model === OFFLINE_MODEL) return createOfflineProvider(options.offlineLatency);
    if (!apiKey) throw new Error(`LLM_MODELS names ${model} but no Gemini key is configured (GEMINI_API_KEY or GEMINI_API_KEY_SECRET_ARN)`);
    let provider: Promise<Provider> | undefined;
    return {
      model,
      async complete<I, O>(call: AgentCall<I, O>) {
        provider ??= (async () => {
          connected ??= loadGemini().then((gemini) => ({ gemini, client: gemini.createGeminiClient(apiKey, timeoutMs) }));
          const { gemini, client } = await connected;
          return gemini.createGeminiProvider(client, model, timeoutMs);
        })();
        return (await provider).complete(call);
      },
    };
  });
  return createRouter(providers, options.retryBaseMs);
}

let defaultRunner: AgentRunner | undefined;

/**
 * Runs one agent: on the creator's own Gemini key when `context.userId` has one stored (metered
 * apart: `keySource: 'creator'`), else with the chain configured by this container's environment
 * (read on first use).
 */
export async function runAgent<I, O>(spec: AgentSpec<I, O>, input: I, context: RunContext): Promise<LlmResult<O>> {
  const creatorKey = context.userId ? await resolveCreatorKey(context.userId) : undefined;
  if (creatorKey) {
    const config = readAiConfig();
    const result = await createAgentRunner({ ...config, apiKey: creatorKey.apiKey, models: creatorModels(config.models) }).run(
      spec,
      input,
      context,
    );
    if (result.model === OFFLINE_MODEL) return result;
    await noteCreatorKeyUse(context.userId!, creatorKey);
    return { ...result, keySource: 'creator' };
  }
  defaultRunner ??= createAgentRunner({ ...readAiConfig(), apiKey: await resolveApiKey() });
  return defaultRunner.run(spec, input, context);
}
