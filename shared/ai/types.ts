import type * as z from 'zod/mini';

/** One agent of the campaign workflow: how to ask a model for its output, and its offline twin. */
export interface AgentSpec<I, O> {
  /** Short identifier used in logs and errors, e.g. `strategist`. */
  name: string;
  /** The output schema: sent to Gemini as its response JSON schema and used to validate every answer. */
  schema: z.ZodMiniType<O>;
  /** The system instruction: instructions only, never creator-written text. */
  system: string;
  /** Builds the user prompt; creator-written text goes in through `dataBlock`. */
  prompt(input: I): string;
  /** The deterministic stand-in used when no model is configured or every model failed. */
  offline(input: I, seed: string): O;
  /** Cap on generated tokens (thinking included); defaults to DEFAULT_MAX_OUTPUT_TOKENS. */
  maxOutputTokens?: number;
  /** Tokens the model may think before it answers (0: none); defaults to THINKING_BUDGET (shared/ai/config.ts). */
  thinkingBudget?: number;
}

export interface LlmResult<O> {
  output: O;
  /** The model that produced `output`: a Gemini model name or `offline`. */
  model: string;
  /** Tokens of the answering model only (its repair round included), estimated for `offline`. */
  tokensIn: number;
  tokensOut: number;
  /** Of those, or on top of them for `offline`: thinking (Gemini counts it in tokensOut; the offline twin only models it). */
  thinkingTokens?: number;
  /** Provider calls made for this result over the whole chain, retries included (1 = first call answered). */
  attempts: number;
  /** Models given up on before `model` answered, in chain order. */
  fallbacks: string[];
  /** `creator`: a Gemini model answered on the creator's own key (metered apart, not charged). */
  keySource?: 'creator';
}

export interface RunContext {
  /** Seeds the offline twin (e.g. the campaign id), so a rerun produces the same output. */
  seed: string;
  /** Whose call this is: with their own Gemini key stored, the call runs on it. */
  userId?: string;
}

/** One agent call as a provider sees it; the prompt is built once, before the chain is walked. */
export interface AgentCall<I, O> {
  spec: AgentSpec<I, O>;
  input: I;
  seed: string;
  prompt: string;
}

export interface Completion<O> {
  output: O;
  tokensIn: number;
  tokensOut: number;
  thinkingTokens?: number;
}

/** One model of the fallback chain. */
export interface Provider {
  readonly model: string;
  complete<I, O>(call: AgentCall<I, O>): Promise<Completion<O>>;
}
