import { readConfig } from '../../shared/core/config';
import { listApiKeys } from '../../shared/db/api-key-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('ListApiKeys', async ({ userId, query }) => {
  const { apiKeys, nextCursor } = await listApiKeys(TABLE_NAME, userId, query);
  return new Reply(apiKeys, { nextCursor });
});
