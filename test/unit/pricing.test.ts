import { describe, expect, it } from 'vitest';
import { imageMicroUsd, llmCallMicroUsd, workflowMicroUsd } from '../../shared/domain/pricing';

describe('price table', () => {
  it('prices LLM calls per model in micro-dollars', () => {
    expect(llmCallMicroUsd('gemini-2.5-flash', 1_000_000, 1_000_000)).toBe(2_800_000);
    expect(llmCallMicroUsd('gemini-2.5-flash-lite', 10_000, 2_000)).toBe(1_800);
    expect(llmCallMicroUsd('offline', 10_000, 2_000)).toBe(0);
  });

  it('never prices an unknown model as free', () => {
    expect(llmCallMicroUsd('gemini-9-ultra', 1_000_000, 0)).toBe(300_000);
  });

  it('prices images by provider, fallbacks by what actually rendered', () => {
    expect(imageMicroUsd('gemini')).toBe(39_000);
    expect(imageMicroUsd('offline (fallback from gemini: InvalidImage)')).toBe(0);
  });

  it('prices Step Functions transitions and Lambda time', () => {
    expect(workflowMicroUsd(1000, 0, 0)).toBe(25_000);
    expect(workflowMicroUsd(0, 1, 1_000_000)).toBe(200_013);
  });
});
