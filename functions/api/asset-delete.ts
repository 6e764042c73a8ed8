import { deleteAsset } from '../../shared/app/assets';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute('DeleteAsset', async ({ userId, params }) => {
  await deleteAsset(config, userId, params.id);
  return undefined;
});
