import { readConfig } from '../../shared/core/config';
import { removeAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('DeleteAccountAiKey', async ({ userId }) => {
  await removeAiKey(TABLE_NAME, userId);
  return undefined;
});
