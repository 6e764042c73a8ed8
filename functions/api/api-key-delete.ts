import { readConfig } from '../../shared/core/config';
import { deleteApiKey } from '../../shared/db/api-key-store';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('DeleteApiKey', async ({ userId, params }) => {
  await deleteApiKey(TABLE_NAME, userId, params.id);
  return undefined;
});
