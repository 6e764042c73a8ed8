import * as z from '../../schemas/zod';

export const IMAGE_PROVIDERS = ['offline', 'pollinations', 'gemini'] as const;
export type ImageProviderName = (typeof IMAGE_PROVIDERS)[number];

const envSchema = z.object({
  IMAGE_PROVIDER: z._default(z.enum(IMAGE_PROVIDERS), 'offline'),
  POLLINATIONS_BASE_URL: z._default(z.url(), 'https://image.pollinations.ai'),
  /** How long a remote provider may take, response body included, before the offline card replaces it. */
  IMAGE_PROVIDER_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 20_000),
  /** All attempts at one image, backoff included: the thumbnail task's timeout is built on it (THUMBNAILS_BUDGET). */
  IMAGE_BUDGET_MS: z._default(z.coerce.number().check(z.int(), z.positive()), 40_000),
  /** Base of the exponential backoff (full jitter) between attempts on a 429, a 5xx, a timeout or a network error. */
  IMAGE_RETRY_BASE_MS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 1_000),
  MAX_IMAGE_BYTES: z._default(z.coerce.number().check(z.int(), z.positive()), 5 * 1024 * 1024),
  GEMINI_IMAGE_MODEL: z._default(z.string().check(z.minLength(1)), 'gemini-2.5-flash-image'),
  /** Artificial latency of the offline title card, for benchmarks (a remote provider takes seconds per image). */
  OFFLINE_IMAGE_LATENCY_MS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 0),
  /** Optional here: without it the gemini provider fails and the offline card is used. */
  GEMINI_API_KEY: z.optional(z.string().check(z.minLength(1))),
});

export interface ImageSettings {
  provider: ImageProviderName;
  pollinationsBaseUrl: string;
  timeoutMs: number;
  budgetMs: number;
  retryBaseMs: number;
  maxBytes: number;
  geminiModel: string;
  geminiApiKey?: string;
  offlineLatencyMs: number;
}

/** The image settings from the environment; an invalid value throws (a configuration error, not a provider failure). */
export function readImageSettings(env: NodeJS.ProcessEnv = process.env): ImageSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const invalid = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`Image configuration invalid: ${invalid}`);
  }
  const e = parsed.data;
  return {
    provider: e.IMAGE_PROVIDER,
    pollinationsBaseUrl: e.POLLINATIONS_BASE_URL,
    timeoutMs: e.IMAGE_PROVIDER_TIMEOUT_MS,
    budgetMs: e.IMAGE_BUDGET_MS,
    retryBaseMs: e.IMAGE_RETRY_BASE_MS,
    maxBytes: e.MAX_IMAGE_BYTES,
    geminiModel: e.GEMINI_IMAGE_MODEL,
    geminiApiKey: e.GEMINI_API_KEY,
    offlineLatencyMs: e.OFFLINE_IMAGE_LATENCY_MS,
  };
}
