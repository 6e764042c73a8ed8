import { readConfig } from '../../shared/config';
import { removeAiKey } from '../../shared/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('DeleteAccountAiKey', async ({ userId }) => {
  await removeAiKey(TABLE_NAME, userId);
  return undefined;
});
