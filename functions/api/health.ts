import { readConfig } from '../../shared/core/config';
import { checkHealth } from '../../shared/app/check-health';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { systemRoutes } from '../../shared/http/routes/system';

const { TABLE_NAME, APP_VERSION } = readConfig(['TABLE_NAME', 'APP_VERSION']);

export const handler = httpRoute(systemRoutes, 'Health', async () => {
  const health = await checkHealth(TABLE_NAME, APP_VERSION);
  return new Reply(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
