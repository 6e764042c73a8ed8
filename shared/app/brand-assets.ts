import { assetsByIds } from '../db/asset-store';
import { DomainError } from '../core/errors';
import type { BrandAssetNote } from '../schemas/assets';

/**
 * The campaign's brand assets must be the creator's own ready assets: 422 ASSET_NOT_READY naming
 * every id that is missing, another creator's, pending or rejected.
 */
export async function readyBrandAssets(table: string, userId: string, assetIds: readonly string[]): Promise<BrandAssetNote[]> {
  if (assetIds.length === 0) return [];
  const ready = new Map(
    (await assetsByIds(table, userId, assetIds)).filter((asset) => asset.status === 'ready').map((asset) => [asset.assetId, asset]),
  );
  const notReady = assetIds.filter((assetId) => !ready.has(assetId));
  if (notReady.length > 0) {
    throw new DomainError('ASSET_NOT_READY', `Brand assets must be your ready assets: ${notReady.join(', ')}`, { assetIds: notReady });
  }
  return assetIds.map((assetId) => {
    const { type, purpose, name, description } = ready.get(assetId)!;
    return { assetId, type, ...(purpose && { purpose }), ...(name && { name }), ...(description && { description }) };
  });
}
