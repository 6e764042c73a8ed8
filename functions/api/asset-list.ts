import { publicAsset } from '../../shared/app/assets';
import { readConfig } from '../../shared/core/config';
import { listAssets } from '../../shared/db/asset-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { assetRoutes } from '../../shared/http/routes/assets';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(assetRoutes, 'ListAssets', async ({ userId, query }) => {
  const { assets, nextCursor } = await listAssets(TABLE_NAME, userId, query);
  return new Reply(
    assets.map((asset) => publicAsset(asset)),
    { nextCursor },
  );
});
