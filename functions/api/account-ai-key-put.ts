import { readConfig } from '../../shared/config';
import { storeAiKey } from '../../shared/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('PutAccountAiKey', ({ userId, body }) => storeAiKey(TABLE_NAME, userId, body.apiKey, new Date().toISOString()));
