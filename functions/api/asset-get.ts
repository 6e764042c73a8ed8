import { assetView } from '../../shared/app/assets';
import { readConfig } from '../../shared/core/config';
import { getAsset } from '../../shared/db/asset-store';
import { httpRoute } from '../../shared/http/middleware';
import { assetRoutes } from '../../shared/http/routes/assets';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(assetRoutes, 'GetAsset', async ({ userId, params }) =>
  assetView(config, await getAsset(config.TABLE_NAME, userId, params.id)),
);
