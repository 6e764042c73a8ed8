import { ApiError, GoogleGenAI, type Content, type GenerateContentResponse } from '@google/genai';
import * as z from 'zod/mini';
import { systemInstruction } from '../domain/data-block';
import { DEFAULT_MAX_OUTPUT_TOKENS, thinkingBudgetOf } from './config';
import { LlmCallFailed, LlmSchemaError } from './errors';
import type { AgentCall, Completion, Provider } from './types';
import { checkOutput } from './validate';

/**
 * The Gemini provider and key check, with the SDK: loaded only through a dynamic import
 * (shared/ai/index.ts), so a function runs offline without loading it, and one that can never call
 * Gemini is bundled without it (infra/function.ts).
 *
 * @google/genai 3 defaults to the `v1` API; systemInstruction, responseJsonSchema and
 * thinkingConfig are documented on `v1beta`, which has accepted them all along.
 */
const GEMINI_API_VERSION = 'v1beta';

/** The base URL comes from GOOGLE_GEMINI_BASE_URL when set, read by the SDK here. */
export function createGeminiClient(apiKey: string, timeoutMs: number): GoogleGenAI {
  return new GoogleGenAI({ apiKey, apiVersion: GEMINI_API_VERSION, httpOptions: { timeout: timeoutMs } });
}

/**
 * One Gemini model. Asks for JSON constrained by the agent's schema, validates the answer, and on
 * a bad answer sends the problems back once for a corrected reply before giving up with
 * LlmSchemaError. The client carries the API key, the base URL and the request timeout.
 */
export function createGeminiProvider(client: GoogleGenAI, model: string, timeoutMs: number): Provider {
  return {
    model,
    async complete<I, O>({ spec, prompt }: AgentCall<I, O>): Promise<Completion<O>> {
      const config = {
        systemInstruction: systemInstruction(spec.system),
        responseMimeType: 'application/json',
        responseJsonSchema: z.toJSONSchema(spec.schema),
        maxOutputTokens: spec.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
        thinkingConfig: { thinkingBudget: thinkingBudgetOf(spec) },
      };
      const generate = async (contents: Content[]) => {
        try {
          return await client.models.generateContent({ model, contents, config });
        } catch (error) {
          throw callFailure(model, timeoutMs, error);
        }
      };

      const contents: Content[] = [{ role: 'user', parts: [{ text: prompt }] }];
      const first = await generate(contents);
      const firstCheck = checkOutput(spec.schema, first.text);
      if (firstCheck.ok) return { output: firstCheck.output, ...usage(first) };

      const firstProblems = describeProblems(firstCheck.problems, first);
      if (first.text) contents.push({ role: 'model', parts: [{ text: first.text }] });
      contents.push({ role: 'user', parts: [{ text: repairRequest(firstProblems) }] });
      const second = await generate(contents);
      const secondCheck = checkOutput(spec.schema, second.text);
      if (!secondCheck.ok) throw new LlmSchemaError(spec.name, model, describeProblems(secondCheck.problems, second));

      const [a, b] = [usage(first), usage(second)];
      return {
        output: secondCheck.output,
        tokensIn: a.tokensIn + b.tokensIn,
        tokensOut: a.tokensOut + b.tokensOut,
        thinkingTokens: a.thinkingTokens + b.thinkingTokens,
      };
    },
  };
}

function repairRequest(problems: string): string {
  return [
    'Your previous reply cannot be used. Problems found:',
    problems,
    'Reply again with only the corrected JSON object, matching the response schema exactly.',
  ].join('\n');
}

/** A truncated or blocked answer says why, which is what one needs to tune maxOutputTokens. */
function describeProblems(problems: string, response: GenerateContentResponse): string {
  const finishReason = response.candidates?.[0]?.finishReason;
  const blockReason = response.promptFeedback?.blockReason;
  if (blockReason) return `${problems} (prompt blocked: ${blockReason})`;
  return finishReason && finishReason !== 'STOP' ? `${problems} (finish reason: ${finishReason})` : problems;
}

/** Thinking tokens are billed as output tokens: tokensOut includes them. */
function usage(response: GenerateContentResponse): { tokensIn: number; tokensOut: number; thinkingTokens: number } {
  const meta = response.usageMetadata;
  return {
    tokensIn: meta?.promptTokenCount ?? 0,
    tokensOut: (meta?.candidatesTokenCount ?? 0) + (meta?.thoughtsTokenCount ?? 0),
    thinkingTokens: meta?.thoughtsTokenCount ?? 0,
  };
}

function callFailure(model: string, timeoutMs: number, error: unknown): unknown {
  if (error instanceof ApiError) {
    const transient = error.status === 408 || error.status === 429 || error.status >= 500;
    return new LlmCallFailed(model, `HTTP ${error.status}: ${error.message.slice(0, 300)}`, transient, {
      status: error.status,
      cause: error,
    });
  }
  // The SDK aborts the request (or the body read) when httpOptions.timeout elapses.
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new LlmCallFailed(model, `no answer within ${timeoutMs} ms`, true, { cause: error });
  }
  // undici's failure to connect or a dropped connection.
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return new LlmCallFailed(model, `network error: ${String(error.cause)}`, true, { cause: error });
  }
  return error;
}

/**
 * Whether Gemini accepts `apiKey`, with one free request: the model's metadata (`models.get`).
 * 400 (API_KEY_INVALID), 401 and 403 mean the key is refused; anything else (rate limit, server
 * error, timeout, network) says nothing about the key.
 */
export async function checkGeminiKey(apiKey: string, model: string, timeoutMs: number): Promise<'valid' | 'invalid' | 'unavailable'> {
  try {
    await createGeminiClient(apiKey, timeoutMs).models.get({ model });
    return 'valid';
  } catch (error) {
    if (error instanceof ApiError && [400, 401, 403].includes(error.status)) return 'invalid';
    return 'unavailable';
  }
}
