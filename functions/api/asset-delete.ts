import { deleteAsset } from '../../shared/assets';
import { readConfig } from '../../shared/config';
import { httpRoute } from '../../shared/http/middleware';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute('DeleteAsset', async ({ userId, params }) => {
  await deleteAsset(config, userId, params.id);
  return undefined;
});
