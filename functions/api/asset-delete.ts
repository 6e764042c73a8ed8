import { deleteAsset } from '../../shared/app/asset-objects';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { assetRoutes } from '../../shared/http/routes/assets';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(assetRoutes, 'DeleteAsset', async ({ userId, params }) => {
  await deleteAsset(config, userId, params.id);
  return undefined;
});
