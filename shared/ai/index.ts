import type { GoogleGenAI } from '@google/genai';
import { resolveApiKey } from './api-key';
import { creatorModels, platformModels } from './chain';
import { readAiConfig } from './config';
import { resolveCreatorKey, noteCreatorKeyUse } from './creator-key';
import { createGeminiClient, createGeminiProvider } from './gemini';
import { createOfflineProvider, OFFLINE_MODEL } from './offline';
import { createRouter, type AgentRunner } from './router';
import type { AgentSpec, LlmResult, RunContext } from './types';

export { resolveApiKey } from './api-key';
export { readAiConfig, type AiConfig } from './config';
export { dataBlock, DATA_BLOCK_RULE } from '../domain/data-block';
export { LlmCallFailed, LlmSchemaError, LlmUnavailable } from './errors';
export { CREATOR_KEY_CACHE_MS } from './creator-key';
export { checkGeminiKey, DEFAULT_MAX_OUTPUT_TOKENS, THINKING_BUDGET } from './gemini';
export { OFFLINE_MODEL, seededRandom } from './offline';
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
  offlineLatencyMs: number;
}

/**
 * Builds the chain's providers; the Gemini client (and so the base URL it takes from
 * GOOGLE_GEMINI_BASE_URL) is created here. Without a key the default chain is `offline` alone.
 */
export function createAgentRunner(options: RunnerOptions): AgentRunner {
  const { apiKey, timeoutMs } = options;
  const models = platformModels(options.models, Boolean(apiKey));
  let client: GoogleGenAI | undefined;
  const providers = models.map((model) => {
    if (model === OFFLINE_MODEL) return createOfflineProvider(options.offlineLatencyMs);
    if (!apiKey) throw new Error(`LLM_MODELS names ${model} but no Gemini key is configured (GEMINI_API_KEY or GEMINI_API_KEY_SECRET_ARN)`);
    client ??= createGeminiClient(apiKey, timeoutMs);
    return createGeminiProvider(client, model, timeoutMs);
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
