import { readConfig } from '../../shared/core/config';
import { getAiKey } from '../../shared/app/creator-ai-key';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('GetAccountAiKey', ({ userId }) => getAiKey(TABLE_NAME, userId));
