import * as z from '../schemas/zod';
import { dataBlock } from './data-block';
import { brandAssetNoteSchema, type BrandAssetNote } from '../schemas/assets';

/**
 * A campaign's brand assets as the agents receive them: the notes frozen at start
 * (`brandAssetNotes`, see shared/app/brand-assets.ts), given to the campaign writer, the regeneration
 * writer and the thumbnail prompts as one delimited `brand_assets` data block (creator text).
 */

/** The notes frozen into the campaign; unusable ones mean none. */
export function frozenBrandAssets(campaign: object): BrandAssetNote[] {
  return z.catch(z.array(brandAssetNoteSchema), []).parse('brandAssetNotes' in campaign ? (campaign.brandAssetNotes ?? []) : []);
}

/** The notes as the writers' optional `brandAssets` input field. */
export function brandAssetsInput(campaign: object): { brandAssets?: BrandAssetNote[] } {
  const notes = frozenBrandAssets(campaign);
  return notes.length > 0 ? { brandAssets: notes } : {};
}

/** The `brand_assets` data block (each description is at most 500 characters, a campaign names a few assets). */
export function brandAssetsBlock(notes: readonly BrandAssetNote[]): string {
  return dataBlock('brand_assets', JSON.stringify(notes, null, 1), 4_000);
}

const HEX_COLOUR = /#[0-9a-f]{6}\b/i;

/** The first `#rrggbb` colour a note's description names (e.g. "primary colour #1A73E8"), for the offline title card. */
export function brandColour(notes: readonly BrandAssetNote[]): string | undefined {
  for (const note of notes) {
    const found = note.description?.match(HEX_COLOUR);
    if (found) return found[0].toLowerCase();
  }
  return undefined;
}
