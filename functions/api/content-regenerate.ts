import { readConfig } from '../../shared/core/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { contentRoutes } from '../../shared/http/routes/content';
import { requestRegeneration } from '../../shared/app/request-regeneration';

const { TABLE_NAME, REGENERATE_FUNCTION_NAME: workerFunction } = readConfig(['TABLE_NAME', 'REGENERATE_FUNCTION_NAME']);

export const handler = idempotentRoute(contentRoutes, 'RegenerateContent', TABLE_NAME, ({ userId, params, body }) =>
  requestRegeneration({
    table: TABLE_NAME,
    workerFunction,
    userId,
    path: params,
    instructions: body?.instructions,
    now: new Date().toISOString(),
  }),
);
