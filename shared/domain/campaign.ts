import { withCampaignLease } from './campaign-status';
import { type Campaign, campaignSchema } from '../schemas/campaign';
import { requiredCampaignFields } from '../schemas/campaign-fields';
import type { CampaignStatus } from '../schemas/vocabulary';

const publicFields = Object.keys(campaignSchema.shape) as (keyof Campaign)[];

/**
 * The campaign as the API shows it now: stored bookkeeping (owner, snapshot, keys) stays inside,
 * and a `generating` campaign past its lease reads `failed` with TIMEOUT.
 */
export function campaignView(stored: Record<string, unknown>): Campaign {
  const record: Record<string, unknown> = withCampaignLease(stored as typeof stored & { status: CampaignStatus }, new Date().toISOString());
  return Object.fromEntries(publicFields.filter((field) => record[field] !== undefined).map((field) => [field, record[field]])) as Campaign;
}

/** The creator's time zone frozen into the campaign at start; undefined before start. */
export const campaignTimeZone = (campaign: object): string | undefined =>
  (campaign as { profileSnapshot?: { timeZone?: string } }).profileSnapshot?.timeZone;

export function missingOnboardingFields(record: Record<string, unknown>): string[] {
  return requiredCampaignFields.filter((field) => record[field] === undefined);
}

/** DynamoDB condition that every required onboarding field is present, for a conditional transition. */
export function requiredFieldsCondition() {
  return {
    condition: requiredCampaignFields.map((_, i) => `attribute_exists(#req${i})`).join(' AND '),
    names: Object.fromEntries(requiredCampaignFields.map((field, i) => [`#req${i}`, field])),
  };
}
