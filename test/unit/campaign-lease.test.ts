import { describe, expect, it } from 'vitest';
import { acceptsExpiredLease, leaseExpired, leaseUntil, LEASE_GRACE_SECONDS, withCampaignLease } from '../../shared/domain/campaign-status';

const started = '2026-12-06T10:00:00.000Z';
const lease = leaseUntil(started, 7200);

describe('the generating lease', () => {
  it('ends the workflow timeout plus 5 minutes after the start', () => {
    expect(LEASE_GRACE_SECONDS).toBe(300);
    expect(lease).toBe('2026-12-06T12:05:00.000Z');
  });

  it('leaves a generating campaign as it is until its lease, then reads it failed with TIMEOUT', () => {
    const campaign = { status: 'generating' as const, execution: { startedAt: started, leaseUntil: lease } };
    expect(withCampaignLease(campaign, '2026-12-06T12:05:00.000Z')).toBe(campaign);
    expect(leaseExpired(campaign, '2026-12-06T12:05:00.001Z')).toBe(true);
    expect(withCampaignLease(campaign, '2026-12-06T12:05:00.001Z')).toEqual({
      ...campaign,
      status: 'failed',
      failure: { step: 'workflow', code: 'TIMEOUT', message: expect.any(String), at: lease },
    });
  });

  it('never touches another status, nor a campaign without a lease', () => {
    const later = '2030-01-01T00:00:00.000Z';
    for (const status of ['in_progress', 'failed', 'completed', 'ready_to_start'] as const) {
      const campaign = { status, execution: { leaseUntil: lease } };
      expect(withCampaignLease(campaign, later)).toBe(campaign);
    }
    const legacy = { status: 'generating' as const, execution: {} };
    expect(withCampaignLease(legacy, later)).toBe(legacy);
  });

  it('lets exactly the actions allowed from failed act on an expired lease', () => {
    expect(acceptsExpiredLease('retry')).toBe(true);
    expect(acceptsExpiredLease('delete')).toBe(true);
    expect(acceptsExpiredLease('finishGeneration')).toBe(false);
    expect(acceptsExpiredLease('editContent')).toBe(false);
    expect(acceptsExpiredLease('start')).toBe(false);
  });
});
