import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODELS } from '../../shared/ai/chain';
import { CALIBRATION, estimateCampaign, estimateReplan, type GenerationChain } from '../../shared/domain/estimate';
import { buildSchedule, plannerCalls } from '../../shared/domain/schedule';
import { llmCallMicroUsd } from '../../shared/domain/pricing';
import { plans } from '../../shared/domain/plans';
import { campaignEstimate } from '../../shared/app/quotas';

const twoWeeks = {
  durationDays: 14,
  startDate: '2026-12-01',
  platforms: [
    { platform: 'youtube' as const, postsPerWeek: 3 },
    { platform: 'x' as const, postsPerWeek: 7 },
  ],
};
const chain = (over: Partial<GenerationChain> = {}): GenerationChain => ({
  models: ['offline'],
  keySource: 'platform',
  imageProvider: 'offline',
  ...over,
});

describe('the estimate prices the chain that will run', () => {
  it('costs nothing on the offline chain with offline images, and says so', () => {
    const estimate = estimateCampaign(twoWeeks, chain());
    expect(estimate).toMatchObject({
      llm: { chain: ['offline'], model: 'offline', keySource: 'platform', costMicroUsd: 0 },
      thumbnails: { provider: 'offline', costMicroUsd: 0 },
      perModel: [{ model: 'offline', costMicroUsd: 0, costUsd: 0 }],
      costMicroUsd: 0,
      costUsd: 0,
      worstCase: { costMicroUsd: 0 },
    });
    expect(estimate.llmCalls).toBeGreaterThan(0);
    // The transitions are the platform's infrastructure, priced apart, not metered as the campaign's cost.
    expect(estimate.stateTransitionsCostMicroUsd).toBe(estimate.stateTransitions * 25);
  });

  it("prices the Gemini chain at its dearest model, whatever the chain's order", () => {
    const estimate = estimateCampaign(twoWeeks, chain({ models: DEFAULT_MODELS }));
    const flash = llmCallMicroUsd('gemini-2.5-flash', estimate.tokensIn, estimate.tokensOut);
    expect(flash).toBeGreaterThan(0);
    expect(estimate.llm).toEqual({ chain: DEFAULT_MODELS, model: 'gemini-2.5-flash', keySource: 'platform', costMicroUsd: flash });
    expect(estimate.perModel.map((row) => row.model)).toEqual(DEFAULT_MODELS);
    expect(estimate.costMicroUsd).toBe(flash);
    expect(estimate.worstCase.costMicroUsd).toBeGreaterThan(flash);

    const cheapestFirst = estimateCampaign(twoWeeks, chain({ models: ['gemini-2.5-flash-lite', 'gemini-2.5-flash'] }));
    expect(cheapestFirst.llm.model).toBe('gemini-2.5-flash');
    expect(cheapestFirst.costMicroUsd).toBe(flash);
    const liteOnly = estimateCampaign(twoWeeks, chain({ models: ['gemini-2.5-flash-lite', 'offline'] }));
    expect(liteOnly.costMicroUsd).toBe(llmCallMicroUsd('gemini-2.5-flash-lite', estimate.tokensIn, estimate.tokensOut));
  });

  it('adds the image provider: Gemini images at their price, Pollinations free', () => {
    const gemini = estimateCampaign(twoWeeks, chain({ imageProvider: 'gemini' }));
    expect(gemini.thumbnails).toEqual({ provider: 'gemini', costMicroUsd: gemini.images * 39_000 });
    expect(gemini.costMicroUsd).toBe(gemini.images * 39_000);
    expect(estimateCampaign(twoWeeks, chain({ imageProvider: 'pollinations' })).costMicroUsd).toBe(0);
  });

  it("leaves the LLM calls on a creator's own key out of the metered cost, as stats meter keySource creator", () => {
    const platform = estimateCampaign(twoWeeks, chain({ models: DEFAULT_MODELS, imageProvider: 'gemini' }));
    const creator = estimateCampaign(twoWeeks, chain({ models: DEFAULT_MODELS, keySource: 'creator', imageProvider: 'gemini' }));
    expect(creator.llm).toEqual({ ...platform.llm, keySource: 'creator' });
    expect(creator.costMicroUsd).toBe(creator.thumbnails.costMicroUsd);
    expect(creator.worstCase.costMicroUsd).toBe(creator.thumbnails.costMicroUsd);
    expect(platform.costMicroUsd).toBe(platform.llm.costMicroUsd + platform.thumbnails.costMicroUsd);
  });
});

describe('a re-plan estimate', () => {
  it('prices the same week unit as a first generation, without the research and planner calls, and only the posts given', () => {
    const posts = buildSchedule({ ...twoWeeks, timeZone: 'UTC' });
    const gemini = chain({ models: [...DEFAULT_MODELS] });
    const campaign = estimateCampaign(twoWeeks, gemini);
    const replan = estimateReplan(posts, undefined, gemini);
    expect(replan.llmCalls).toBe(campaign.llmCalls - 3 - plannerCalls(posts).length);
    expect(replan.worstCase.llmCalls).toBe(campaign.worstCase.llmCalls - 3 - plannerCalls(posts).length);
    expect(replan).toMatchObject({ posts: campaign.posts, images: campaign.images, weeks: 2 });
    expect(replan.stateTransitions).toBe(campaign.stateTransitions - CALIBRATION.fixedTransitions + CALIBRATION.replanFixedTransitions);
    expect(replan.costMicroUsd).toBeLessThan(campaign.costMicroUsd);

    const weekTwo = posts.filter((post) => post.day > 7).slice(0, 3);
    expect(estimateReplan(weekTwo, undefined, gemini)).toMatchObject({ posts: 3, images: 3, weeks: 1 });
    expect(estimateReplan([], undefined, gemini)).toMatchObject({ posts: 0, llmCalls: 0, images: 0, costMicroUsd: 0 });
  });
});

describe('the chain an estimate resolves from the configuration', () => {
  const ready = { name: 'x', goal: { type: 'views', metric: 'views', target: 10 }, ...twoWeeks };
  afterEach(() => vi.unstubAllEnvs());
  const resolved = (ownAiKey = false) => campaignEstimate(ready, { tier: 'free', ownAiKey });
  const unset = () => {
    for (const name of ['LLM_MODELS', 'GEMINI_API_KEY', 'GEMINI_API_KEY_SECRET_ARN', 'IMAGE_PROVIDER']) vi.stubEnv(name, undefined);
  };

  it('runs offline without a key or LLM_MODELS, as the LLM layer does', () => {
    unset();
    expect(resolved()).toMatchObject({
      llm: { chain: ['offline'], keySource: 'platform' },
      thumbnails: { provider: 'offline' },
      costMicroUsd: 0,
    });
    vi.stubEnv('LLM_MODELS', ' , ');
    expect(resolved().llm.chain).toEqual(['offline']);
  });

  it('runs the Gemini models with a key (or its secret), LLM_MODELS when set', () => {
    unset();
    vi.stubEnv('GEMINI_API_KEY', 'platform-key');
    expect(resolved().llm.chain).toEqual(DEFAULT_MODELS);
    vi.stubEnv('GEMINI_API_KEY', undefined);
    vi.stubEnv('GEMINI_API_KEY_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gemini');
    expect(resolved().llm.chain).toEqual(DEFAULT_MODELS);
    vi.stubEnv('LLM_MODELS', 'gemini-2.5-flash-lite,offline');
    vi.stubEnv('IMAGE_PROVIDER', 'pollinations');
    expect(resolved()).toMatchObject({
      llm: { chain: ['gemini-2.5-flash-lite', 'offline'], model: 'gemini-2.5-flash-lite' },
      thumbnails: { provider: 'pollinations' },
    });
  });

  it('runs a creator with their own key on Gemini with it, even on an offline platform', () => {
    unset();
    expect(resolved(true)).toMatchObject({
      llm: { chain: DEFAULT_MODELS, model: 'gemini-2.5-flash', keySource: 'creator' },
      costMicroUsd: 0,
    });
  });

  it("shows the plan's limits and whether the campaign fits them", () => {
    unset();
    expect(resolved().planLimits).toEqual({
      tier: 'free',
      maxDurationDays: plans.free.maxDurationDays,
      platformsPerCampaign: plans.free.platformsPerCampaign,
      campaignsPerMonth: plans.free.campaignsPerMonth,
      imagesPerMonth: plans.free.imagesPerMonth,
      llmBudgetMicroUsd: plans.free.llmBudgetMicroUsd,
      fits: true,
      exceeded: [],
    });
    const long = campaignEstimate({ ...ready, durationDays: 60 }, { tier: 'free' }).planLimits;
    expect(long).toMatchObject({
      fits: false,
      exceeded: [{ limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays }],
    });
    expect(campaignEstimate({ ...ready, durationDays: 60 }, { tier: 'pro' }).planLimits.fits).toBe(true);
  });
});
