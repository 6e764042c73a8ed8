import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from '../../shared/schemas/zod';
import { createAgentRunner, LlmCallFailed, LlmSchemaError, LlmUnavailable, NO_LATENCY, runAgent, type AgentSpec } from '../../shared/ai';
import { createRouter } from '../../shared/ai/router';
import { fullJitterDelay } from '../../shared/core/backoff';
import type { AgentCall, Provider } from '../../shared/ai/types';

const spec: AgentSpec<string, { answer: string }> = {
  name: 'echo',
  schema: z.object({ answer: z.string() }),
  system: 'Echo.',
  prompt: vi.fn((input: string) => `Echo ${input}`),
  offline: (input) => ({ answer: input }),
};

/** A provider that throws the scripted errors in order, then answers. */
function scripted(model: string, ...errors: Error[]): Provider & { calls: AgentCall<unknown, unknown>[] } {
  const calls: AgentCall<unknown, unknown>[] = [];
  return {
    model,
    calls,
    async complete<I, O>(call: AgentCall<I, O>) {
      calls.push(call as AgentCall<unknown, unknown>);
      const error = errors.shift();
      if (error) throw error;
      return { output: { answer: model } as O, tokensIn: 10, tokensOut: 5 };
    },
  };
}

const rateLimited = (model: string) => new LlmCallFailed(model, 'HTTP 429', true, { status: 429 });
const quotaExceeded = () => Object.assign(new Error('monthly LLM quota used up'), { name: 'QuotaExceeded' });

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('model router', () => {
  it('retries a transient failure on the same model', async () => {
    const a = scripted('a', rateLimited('a'), rateLimited('a'));

    const result = await createRouter([a, scripted('b')], 1).run(spec, 'hi', { seed: 's' });

    expect(result).toEqual({ output: { answer: 'a' }, model: 'a', tokensIn: 10, tokensOut: 5, attempts: 3, fallbacks: [] });
  });

  it('falls back after the retries of one model are spent', async () => {
    const a = scripted('a', rateLimited('a'), rateLimited('a'), rateLimited('a'));

    const result = await createRouter([a, scripted('b')], 1).run(spec, 'hi', { seed: 's' });

    expect(result).toMatchObject({ model: 'b', attempts: 4, fallbacks: ['a'] });
    expect(a.calls).toHaveLength(3);
  });

  it('falls back at once on a schema error or any other non-transient failure', async () => {
    const a = scripted('a', new LlmSchemaError('echo', 'a', 'bad'));
    const b = scripted('b', new LlmCallFailed('b', 'HTTP 400', false, { status: 400 }));

    const result = await createRouter([a, b, scripted('c')], 1).run(spec, 'hi', { seed: 's' });

    expect(result).toMatchObject({ model: 'c', attempts: 3, fallbacks: ['a', 'b'] });
  });

  it('rethrows a non-retryable error as it is: no retry, no fallback', async () => {
    const quota = quotaExceeded();
    const a = scripted('a', quota);
    const b = scripted('b');

    await expect(createRouter([a, b], 1).run(spec, 'hi', { seed: 's' })).rejects.toBe(quota);
    expect([a.calls.length, b.calls.length]).toEqual([1, 0]);
  });

  it('throws LlmUnavailable with the last error when every model fails', async () => {
    const last = new LlmSchemaError('echo', 'b', 'still bad');

    const failure = await createRouter([scripted('a', new Error('boom')), scripted('b', last)], 1)
      .run(spec, 'hi', { seed: 's' })
      .catch((e: unknown) => e);

    expect(failure).toMatchObject({ name: 'LlmUnavailable', agent: 'echo', models: ['a', 'b'], cause: last });
    expect(failure).toBeInstanceOf(LlmUnavailable);
  });

  it('builds the prompt once and hands every provider the same call', async () => {
    vi.mocked(spec.prompt).mockClear();
    const a = scripted('a', rateLimited('a'), new Error('down'));
    const b = scripted('b');

    await createRouter([a, b], 1).run(spec, 'hi', { seed: 'seed-1' });

    expect(spec.prompt).toHaveBeenCalledTimes(1);
    expect(b.calls[0]).toEqual({ spec, input: 'hi', seed: 'seed-1', prompt: 'Echo hi' });
    expect(a.calls[1]).toBe(a.calls[0]);
  });

  it('waits with full jitter: between 0 and base × 2^retry', () => {
    vi.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.999999);
    expect(fullJitterDelay(500, 2)).toBe(0);
    expect(fullJitterDelay(500, 2)).toBe(1999);
  });
});

describe('agent runner configuration', () => {
  const base = { timeoutMs: 1000, retryBaseMs: 1, offlineLatency: NO_LATENCY };

  it('uses the offline chain without a key, the Gemini chain with one', () => {
    expect(createAgentRunner({ ...base }).models).toEqual(['offline']);
    expect(createAgentRunner({ ...base, apiKey: 'k' }).models).toEqual(['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'offline']);
    expect(createAgentRunner({ ...base, apiKey: 'k', models: ['gemini-2.5-pro', 'offline'] }).models).toEqual([
      'gemini-2.5-pro',
      'offline',
    ]);
  });

  it('refuses a Gemini model without a key instead of failing every call', () => {
    expect(() => createAgentRunner({ ...base, models: ['gemini-2.5-flash', 'offline'] })).toThrow(/no Gemini key/);
  });

  it('runAgent answers offline in an environment without a key', async () => {
    vi.stubEnv('GEMINI_API_KEY', '');
    vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', '');
    vi.stubEnv('LLM_MODELS', '');

    const result = await runAgent(spec, 'hello', { seed: 's' });

    expect(result).toMatchObject({ output: { answer: 'hello' }, model: 'offline', attempts: 1, fallbacks: [] });
  });
});
