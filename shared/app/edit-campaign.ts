import { readyBrandAssets } from './brand-assets';
import { applyTransition, getCampaignRecord } from '../db/campaign-store';
import { admitCampaignShape } from './quotas';
import { canApply } from '../domain/campaign-status';
import { campaignView, missingOnboardingFields, requiredFieldsCondition } from '../domain/campaign';
import { DomainError } from '../core/errors';
import type { CampaignPatch } from '../schemas/campaign';

/** Name and onboarding edits, allowed before start only; `expectedVersion` carries If-Match. */
export async function editCampaign(table: string, userId: string, campaignId: string, patch: CampaignPatch, expectedVersion?: number) {
  await admitCampaignShape(table, userId, patch);
  if (patch.brandAssets) await readyBrandAssets(table, userId, patch.brandAssets);
  const record = await applyTransition(table, userId, campaignId, 'edit', { set: patch, expectedVersion, now: new Date().toISOString() });
  return campaignView(record);
}

/** → ready_to_start: every required field set (409 with the missing ones) and within the plan's shape limits (402). */
export async function completeOnboarding(table: string, userId: string, campaignId: string) {
  const current = await getCampaignRecord(table, userId, campaignId);
  // A campaign past onboarding is the transition's 409, not a quota question.
  if (canApply('completeOnboarding', current.status)) await admitCampaignShape(table, userId, current);
  const record = await applyTransition(table, userId, campaignId, 'completeOnboarding', {
    require: {
      ...requiredFieldsCondition(),
      failure: (current) => {
        const missingFields = missingOnboardingFields(current);
        return new DomainError('ONBOARDING_INCOMPLETE', `Missing onboarding fields: ${missingFields.join(', ')}`, { missingFields });
      },
    },
    now: new Date().toISOString(),
  });
  return campaignView(record);
}
