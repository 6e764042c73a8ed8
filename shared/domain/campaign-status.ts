import { DomainError } from '../core/errors';
import type { CampaignStatus } from '../schemas/vocabulary';

/**
 * The campaign status machine. Every transition is applied as a conditional write on the current
 * status (see shared/db/campaign-store.ts), so the rules here are the whole truth and no request
 * can read-then-write its way around them.
 *
 *   onboarding_incomplete ──completeOnboarding──▶ ready_to_start ──start──▶ generating
 *   generating ──finishGeneration──▶ in_progress ──complete──▶ completed
 *   generating ──fail──▶ failed ──retry──▶ generating
 */

interface Transition {
  from: readonly CampaignStatus[];
  /** Undefined: the action leaves the status as it is. */
  to?: CampaignStatus;
}

export const transitions = {
  edit: { from: ['onboarding_incomplete', 'ready_to_start'] },
  completeOnboarding: { from: ['onboarding_incomplete', 'ready_to_start'], to: 'ready_to_start' },
  start: { from: ['ready_to_start'], to: 'generating' },
  retry: { from: ['failed'], to: 'generating' },
  finishGeneration: { from: ['generating'], to: 'in_progress' },
  fail: { from: ['generating'], to: 'failed' },
  complete: { from: ['in_progress'], to: 'completed' },
  editContent: { from: ['generating', 'in_progress'] },
  confirmPost: { from: ['in_progress'] },
  /** A re-plan of the open posts (shared/app/replan.ts): the campaign stays in_progress while it runs. */
  replan: { from: ['in_progress'] },
  delete: { from: ['onboarding_incomplete', 'ready_to_start', 'failed', 'completed'] },
} as const satisfies Record<string, Transition>;
export type CampaignAction = keyof typeof transitions;

export function canApply(action: CampaignAction, status: CampaignStatus): boolean {
  return (transitions[action].from as readonly CampaignStatus[]).includes(status);
}

export function allowedActions(status: CampaignStatus): CampaignAction[] {
  return (Object.keys(transitions) as CampaignAction[]).filter((action) => canApply(action, status));
}

/**
 * A `generating` campaign carries a lease (`execution.leaseUntil`): the state machine's own timeout
 * from its start, plus this grace. No execution of that attempt can still be running past it, so a
 * campaign still `generating` then was stranded (a crash, a lost status-change event) and counts as
 * `failed` with TIMEOUT: it reads so, may be retried or deleted, and holds no active slot.
 */
export const LEASE_GRACE_SECONDS = 5 * 60;

export function leaseUntil(startedAt: string, workflowTimeoutSeconds: number): string {
  return new Date(Date.parse(startedAt) + (workflowTimeoutSeconds + LEASE_GRACE_SECONDS) * 1000).toISOString();
}

interface Leased {
  status: CampaignStatus;
  execution?: { leaseUntil?: string };
  failure?: { step: string; code: string; message: string; at: string };
}

export const leaseExpired = (campaign: Leased, now: string): boolean =>
  campaign.status === 'generating' && campaign.execution?.leaseUntil !== undefined && campaign.execution.leaseUntil < now;

/** The campaign as it stands at `now`: a `generating` one past its lease is `failed` with TIMEOUT. */
export function withCampaignLease<C extends Leased>(campaign: C, now: string): C {
  if (!leaseExpired(campaign, now)) return campaign;
  const at = campaign.execution!.leaseUntil!;
  return {
    ...campaign,
    status: 'failed',
    failure: { step: 'workflow', code: 'TIMEOUT', message: 'The workflow did not finish before its deadline; retry the campaign', at },
  };
}

/** Actions allowed from `failed` are allowed from a `generating` campaign whose lease has passed. */
export const acceptsExpiredLease = (action: CampaignAction): boolean => canApply(action, 'failed');

/** Only a generated campaign's posts are regenerated; while generating the workflow owns them. */
export const REGENERATE_FROM = ['in_progress'] as const;

export function expectRegenerable(campaign: { status: CampaignStatus }, campaignId: string) {
  if (!(REGENERATE_FROM as readonly string[]).includes(campaign.status)) {
    throw new DomainError('CAMPAIGN_STATE_CONFLICT', `Cannot regenerate a post of a campaign that is ${campaign.status}`, {
      currentStatus: campaign.status,
      allowedActions: allowedActions(campaign.status),
      campaignId,
    });
  }
}
