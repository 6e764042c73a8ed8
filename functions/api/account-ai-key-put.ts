import { readConfig } from '../../shared/core/config';
import { storeAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('PutAccountAiKey', ({ userId, body }) =>
  storeAiKey(TABLE_NAME, userId, body.apiKey, new Date().toISOString()),
);
