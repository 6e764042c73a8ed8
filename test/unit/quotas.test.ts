import { describe, expect, it } from 'vitest';
import { periodOf, plans, tierOf } from '../../shared/domain/plans';
import { campaignPlanFit, campaignShapeExcess, checkCampaignShape, checkQuotas, type QuotaState } from '../../shared/domain/quotas';
import { monthlyUsageOf } from '../../shared/domain/usage';

const now = new Date('2026-12-31T23:59:00Z');
const state = (over: Partial<QuotaState> = {}): QuotaState => ({
  tier: 'free',
  usage: monthlyUsageOf(undefined),
  activeCampaigns: 0,
  webhooks: 0,
  apiKeys: 0,
  now,
  ...over,
});
const thrown = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; status: number; details: unknown };
  }
  throw new Error('did not throw');
};

describe('plans', () => {
  it('treats an unknown stored tier as free and computes the UTC month and its reset', () => {
    expect(tierOf('platinum')).toBe('free');
    expect(tierOf('pro')).toBe('pro');
    expect(periodOf(now)).toEqual({ month: '2026-12', start: '2026-12-01T00:00:00.000Z', resetsAt: '2027-01-01T00:00:00.000Z' });
  });

  it('grows every limit from free to enterprise', () => {
    for (const limit of Object.keys(plans.free) as (keyof typeof plans.free)[]) {
      expect(plans.pro[limit]).toBeGreaterThanOrEqual(plans.free[limit]);
      expect(plans.enterprise[limit]).toBeGreaterThanOrEqual(plans.pro[limit]);
    }
  });
});

describe('quotas', () => {
  it('allows work up to the limit and refuses what would cross it, naming limit, usage, value and reset', () => {
    const usage = { ...monthlyUsageOf(undefined), campaignsStarted: plans.free.campaignsPerMonth - 1 };
    expect(() => checkQuotas(state({ usage }), { campaignsStarted: 1 })).not.toThrow();
    const error = thrown(() =>
      checkQuotas(state({ usage: { ...usage, campaignsStarted: plans.free.campaignsPerMonth } }), { campaignsStarted: 1 }),
    );
    expect(error).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      status: 402,
      details: {
        limit: 'campaignsPerMonth',
        usage: plans.free.campaignsPerMonth + 1,
        limitValue: plans.free.campaignsPerMonth,
        resetsAt: '2027-01-01T00:00:00.000Z',
      },
    });
  });

  it('refuses a campaign whose estimate would cross the LLM budget', () => {
    const usage = { ...monthlyUsageOf(undefined), costMicroUsd: plans.free.llmBudgetMicroUsd - 10 };
    expect(thrown(() => checkQuotas(state({ usage }), { costMicroUsd: 11 })).details).toMatchObject({ limit: 'llmBudgetMicroUsd' });
  });

  it('counts active campaigns without a reset time, and checks the shape of one campaign', () => {
    expect(thrown(() => checkQuotas(state({ activeCampaigns: 3 }), { activeCampaigns: 1 })).details).toEqual({
      limit: 'activeCampaigns',
      usage: 4,
      limitValue: 3,
    });
    expect(thrown(() => checkCampaignShape(plans.free, { durationDays: 31, platforms: [1] })).details).toMatchObject({
      limit: 'maxDurationDays',
    });
    expect(thrown(() => checkCampaignShape(plans.free, { durationDays: 7, platforms: [1, 2, 3, 4] })).details).toMatchObject({
      limit: 'platformsPerCampaign',
    });
    expect(() => checkCampaignShape(plans.free, { durationDays: 30, platforms: [1, 2, 3] })).not.toThrow();
  });

  it('lists every shape limit a campaign crosses, with the details of the 402, and none for a partial campaign', () => {
    expect(campaignShapeExcess(plans.free, { durationDays: 60, platforms: [1, 2, 3, 4] })).toEqual([
      { limit: 'maxDurationDays', usage: 60, limitValue: plans.free.maxDurationDays },
      { limit: 'platformsPerCampaign', usage: 4, limitValue: plans.free.platformsPerCampaign },
    ]);
    expect(campaignShapeExcess(plans.free, {})).toEqual([]);
    expect(campaignShapeExcess(plans.pro, { durationDays: 60, platforms: [1, 2, 3, 4] })).toEqual([]);
    expect(campaignPlanFit('free', { durationDays: 14, platforms: [1] })).toMatchObject({ tier: 'free', fits: true, exceeded: [] });
  });
});
