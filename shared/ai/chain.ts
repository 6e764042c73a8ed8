import { OFFLINE_MODEL } from './offline';

/** The chain when a Gemini key is available and LLM_MODELS is unset. */
export const DEFAULT_MODELS: readonly string[] = ['gemini-2.5-flash', 'gemini-2.5-flash-lite', OFFLINE_MODEL];

/** The platform's chain: LLM_MODELS when it names a model, else DEFAULT_MODELS with a key, `offline` alone without. */
export function platformModels(configured: readonly string[] | undefined, hasKey: boolean): readonly string[] {
  return configured?.length ? configured : hasKey ? DEFAULT_MODELS : [OFFLINE_MODEL];
}

/**
 * The chain on a creator's own key: the configured chain when it names a Gemini model, else
 * DEFAULT_MODELS (a platform without a key of its own runs `offline`, its creators' keys do not).
 * It ends `offline` either way and never reaches the platform's key.
 */
export function creatorModels(configured: readonly string[] | undefined): readonly string[] {
  return configured?.some((model) => model !== OFFLINE_MODEL) ? configured : DEFAULT_MODELS;
}
