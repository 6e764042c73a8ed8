import { createAssetUpload } from '../../shared/app/assets';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { assetRoutes } from '../../shared/http/routes/assets';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(assetRoutes, 'CreateAsset', ({ userId, body }) => createAssetUpload(config, userId, body, new Date()));
