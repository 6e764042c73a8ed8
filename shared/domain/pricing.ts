/**
 * The one price table: what an LLM call, an image, a state transition and a Lambda invocation
 * cost, in micro-dollars (integers, so counters can ADD them exactly).
 *
 * Sources, read 2026-11-23 (list prices, us-east-1, no free tier):
 * - Gemini API: https://ai.google.dev/gemini-api/docs/pricing — 2.5 Flash $0.30 / 1M input
 *   tokens, $2.50 / 1M output tokens (thinking included); 2.5 Flash-Lite $0.10 / $0.40;
 *   2.5 Flash Image $0.039 per image (1290 output tokens at $30 / 1M).
 * - Step Functions Standard: https://aws.amazon.com/step-functions/pricing/ — $0.025 per 1,000
 *   state transitions.
 * - Lambda arm64: https://aws.amazon.com/lambda/pricing/ — $0.0000133334 per GB-second,
 *   $0.20 per 1M requests.
 * - DynamoDB on-demand: https://aws.amazon.com/dynamodb/pricing/on-demand/ — $0.625 per 1M write
 *   request units, $0.125 per 1M read request units (Standard table class).
 * - EventBridge: https://aws.amazon.com/eventbridge/pricing/ — custom events $1.00 per 1M
 *   (each 64 KB chunk of a PutEvents entry is one event).
 */
export interface ModelPrice {
  inputPerMillionTokensUsd: number;
  outputPerMillionTokensUsd: number;
}

export const modelPrices: Record<string, ModelPrice> = {
  'gemini-2.5-flash': { inputPerMillionTokensUsd: 0.3, outputPerMillionTokensUsd: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMillionTokensUsd: 0.1, outputPerMillionTokensUsd: 0.4 },
  offline: { inputPerMillionTokensUsd: 0, outputPerMillionTokensUsd: 0 },
};

export const imagePricesUsd: Record<string, number> = {
  gemini: 0.039,
  pollinations: 0,
  offline: 0,
};

export const STATE_TRANSITION_USD = 0.025 / 1000;
export const LAMBDA_GB_SECOND_USD = 0.0000133334;
export const LAMBDA_REQUEST_USD = 0.2 / 1_000_000;
export const DYNAMODB_WRU_USD = 0.625 / 1_000_000;
export const DYNAMODB_RRU_USD = 0.125 / 1_000_000;
export const EVENTBRIDGE_EVENT_USD = 1 / 1_000_000;

const toMicro = (usd: number) => Math.round(usd * 1_000_000);

/** Cost of one LLM call; an unknown model is priced like the dearest known one rather than as free. */
export function llmCallMicroUsd(model: string, tokensIn: number, tokensOut: number): number {
  const dearest = Object.values(modelPrices).reduce((a, b) => (b.outputPerMillionTokensUsd > a.outputPerMillionTokensUsd ? b : a));
  const price = modelPrices[model] ?? dearest;
  return toMicro((tokensIn * price.inputPerMillionTokensUsd + tokensOut * price.outputPerMillionTokensUsd) / 1_000_000);
}

export function imageMicroUsd(provider: string): number {
  const base = provider.split(' ')[0];
  return toMicro(imagePricesUsd[base] ?? imagePricesUsd.gemini);
}

export function workflowMicroUsd(stateTransitions: number, lambdaGbSeconds: number, lambdaRequests: number): number {
  return toMicro(stateTransitions * STATE_TRANSITION_USD + lambdaGbSeconds * LAMBDA_GB_SECOND_USD + lambdaRequests * LAMBDA_REQUEST_USD);
}
