import { readConfig } from '../../shared/config';
import { checkHealth } from '../../shared/health';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME, APP_VERSION } = readConfig(['TABLE_NAME', 'APP_VERSION']);

export const handler = httpRoute('Health', async () => {
  const health = await checkHealth(TABLE_NAME, APP_VERSION);
  return new Reply(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
