/**
 * The campaign status machine. Every transition is applied as a conditional write on the current
 * status (see shared/db/campaign-store.ts), so the rules here are the whole truth and no request
 * can read-then-write its way around them.
 *
 *   onboarding_incomplete ──completeOnboarding──▶ ready_to_start ──start──▶ generating
 *   generating ──finishGeneration──▶ in_progress ──complete──▶ completed
 *   generating ──fail──▶ failed ──retry──▶ generating
 */
export const campaignStatuses = [
  'onboarding_incomplete',
  'ready_to_start',
  'generating',
  'in_progress',
  'completed',
  'failed',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

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
  delete: { from: ['onboarding_incomplete', 'ready_to_start', 'failed', 'completed'] },
} as const satisfies Record<string, Transition>;
export type CampaignAction = keyof typeof transitions;

export function canApply(action: CampaignAction, status: CampaignStatus): boolean {
  return (transitions[action].from as readonly CampaignStatus[]).includes(status);
}

export function allowedActions(status: CampaignStatus): CampaignAction[] {
  return (Object.keys(transitions) as CampaignAction[]).filter((action) => canApply(action, status));
}
