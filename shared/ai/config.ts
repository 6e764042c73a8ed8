import * as z from 'zod/mini';
import { commaList } from '../core/config';

/**
 * The thinking budget of an agent that reasons (context, forensics, strategist, reporter): thinking
 * tokens count against maxOutputTokens; 512 is also the smallest budget flash-lite accepts when it
 * thinks. Agents that only write to a plan set their own AgentSpec.thinkingBudget (0: no thinking).
 */
export const THINKING_BUDGET = 512;

export const thinkingBudgetOf = (spec: { thinkingBudget?: number }) => spec.thinkingBudget ?? THINKING_BUDGET;
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;

/** Unset and blank both mean "not configured". */
const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((value) => value?.trim() || undefined),
);

const millis = (fallback: number, min = 0) => z._default(z.coerce.number().check(z.int(), z.gte(min)), fallback);

const aiEnvSchema = z.pipe(
  z.object({
    GEMINI_API_KEY: optionalText,
    /** Secrets Manager secret whose SecretString is the key; read when GEMINI_API_KEY is unset. */
    GEMINI_API_KEY_SECRET_ARN: optionalText,
    /** Comma-separated fallback chain, e.g. `gemini-2.5-flash,gemini-2.5-flash-lite,offline`. */
    LLM_MODELS: optionalText,
    /** Per-request deadline; keep it well below the calling Lambda's timeout. */
    LLM_TIMEOUT_MS: millis(20_000, 1),
    /** Base of the exponential backoff between retries of one model. */
    LLM_RETRY_BASE_MS: millis(500),
    /**
     * The offline provider's latency model (shared/ai/offline.ts), for benchmarks and tests: the
     * share of the modelled time it really waits (0: none, 1: all of it) and the model's figures.
     */
    OFFLINE_LLM_TIME_SCALE: z._default(z.coerce.number().check(z.gte(0)), 0),
    OFFLINE_LLM_FIRST_TOKEN_MS: millis(600),
    OFFLINE_LLM_TOKENS_PER_SECOND: z._default(z.coerce.number().check(z.positive()), 250),
  }),
  z.transform((env) => ({
    apiKey: env.GEMINI_API_KEY,
    apiKeySecretArn: env.GEMINI_API_KEY_SECRET_ARN,
    models: env.LLM_MODELS === undefined ? undefined : commaList(env.LLM_MODELS),
    timeoutMs: env.LLM_TIMEOUT_MS,
    retryBaseMs: env.LLM_RETRY_BASE_MS,
    offlineLatency: {
      timeScale: env.OFFLINE_LLM_TIME_SCALE,
      firstTokenMs: env.OFFLINE_LLM_FIRST_TOKEN_MS,
      tokensPerSecond: env.OFFLINE_LLM_TOKENS_PER_SECOND,
    },
  })),
);

export type AiConfig = z.infer<typeof aiEnvSchema>;

export function readAiConfig(env: NodeJS.ProcessEnv = process.env): AiConfig {
  const parsed = aiEnvSchema.safeParse(env);
  if (!parsed.success) {
    const invalid = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`LLM configuration invalid: ${invalid}`);
  }
  return parsed.data;
}
