import { describe, expect, it } from 'vitest';
import * as z from '../../shared/schemas/zod';
import {
  createAgentRunner,
  LlmSchemaError,
  LlmUnavailable,
  modelledLatencyMs,
  NO_LATENCY,
  seededRandom,
  THINKING_BUDGET,
  type AgentSpec,
  type LatencyModel,
} from '../../shared/ai';

const ideasSchema = z.object({ ideas: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(5)) });
type Ideas = z.infer<typeof ideasSchema>;

const TOPICS = ['budgets', 'saving', 'investing', 'debt', 'taxes', 'side income', 'credit', 'rent'];

const ideas: AgentSpec<{ niche: string }, Ideas> = {
  name: 'ideas',
  schema: ideasSchema,
  system: 'Suggest post ideas.',
  prompt: ({ niche }) => `Suggest ideas for ${niche}.`,
  offline: ({ niche }, seed) => {
    const random = seededRandom(seed);
    return { ideas: [0, 1, 2].map(() => `${niche}: ${TOPICS[Math.floor(random() * TOPICS.length)]}`) };
  },
};

const offlineRunner = (offlineLatency: LatencyModel = NO_LATENCY) =>
  createAgentRunner({ models: ['offline'], timeoutMs: 1000, retryBaseMs: 1, offlineLatency });

describe('offline provider', () => {
  it('is deterministic: same input and seed, same output', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => offlineRunner().run(ideas, { niche: 'finance' }, { seed: 'camp-1' })));
    expect(a.output).toEqual(b.output);
  });

  it('lets the seed vary the output', async () => {
    const outputs = await Promise.all(
      ['s1', 's2', 's3', 's4', 's5'].map((seed) => offlineRunner().run(ideas, { niche: 'finance' }, { seed })),
    );
    expect(new Set(outputs.map((r) => JSON.stringify(r.output))).size).toBeGreaterThan(1);
  });

  it('is labelled offline and meters estimated tokens (about 4 characters each)', async () => {
    const result = await offlineRunner().run(ideas, { niche: 'finance' }, { seed: 'camp-1' });

    expect(result).toMatchObject({ model: 'offline', attempts: 1, fallbacks: [] });
    expect(result.tokensOut).toBe(Math.ceil(JSON.stringify(result.output).length / 4));
    expect(result.tokensIn).toBeGreaterThan(Math.ceil('Suggest ideas for finance.'.length / 4));
  });

  it('models latency as first token + (output + thinking tokens) ÷ throughput', () => {
    const model = { timeScale: 1, firstTokenMs: 600, tokensPerSecond: 250 };
    expect(modelledLatencyMs(model, 0, 512)).toBe(600 + 2048);
    expect(modelledLatencyMs(model, 4000, 512)).toBe(600 + 18_048);
    expect(modelledLatencyMs(model, 4000, 0)).toBe(600 + 16_000);
  });

  it("thinks its agent's thinking budget: THINKING_BUDGET unless the spec sets its own", async () => {
    const [reasoning, writing] = await Promise.all(
      [ideas, { ...ideas, thinkingBudget: 0 }].map((spec) => offlineRunner().run(spec, { niche: 'finance' }, { seed: 'camp-1' })),
    );
    expect(reasoning.thinkingTokens).toBe(THINKING_BUDGET);
    expect(writing.thinkingTokens).toBe(0);
  });

  it('waits the modelled time of what it wrote and thought, scaled by OFFLINE_LLM_TIME_SCALE', async () => {
    // 1 ms first token, 1,000 tokens/s: about 25 ms for the ~24 output tokens, 10 ms of thinking, × 2.
    const model = { timeScale: 2, firstTokenMs: 1, tokensPerSecond: 1000 };
    const spec = { ...ideas, thinkingBudget: 10 };
    const started = performance.now();
    const result = await offlineRunner(model).run(spec, { niche: 'finance' }, { seed: 'camp-1' });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(modelledLatencyMs(model, result.tokensOut, 10) * 2 - 5);
    expect(elapsed).toBeLessThan(modelledLatencyMs(model, result.tokensOut, 10) * 2 + 200);
  });

  it('holds the offline twin to the schema', async () => {
    const drifted: AgentSpec<{ niche: string }, Ideas> = { ...ideas, offline: () => ({ ideas: [] }) };

    const failure = await offlineRunner()
      .run(drifted, { niche: 'finance' }, { seed: 'camp-1' })
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(LlmUnavailable);
    expect((failure as Error).cause).toBeInstanceOf(LlmSchemaError);
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom('x');
    const b = seededRandom('x');
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(first.every((n) => n >= 0 && n < 1)).toBe(true);
    expect(seededRandom('y')()).not.toBe(first[0]);
  });
});
