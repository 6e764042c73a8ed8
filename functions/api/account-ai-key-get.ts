import { readConfig } from '../../shared/config';
import { getAiKey } from '../../shared/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('GetAccountAiKey', ({ userId }) => getAiKey(TABLE_NAME, userId));
