import { readConfig } from '../../shared/config';
import { idempotentRoute } from '../../shared/http/idempotency';
import { requestRegeneration } from '../../shared/workflow/regenerate';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);
const workerFunction = process.env.REGENERATE_FUNCTION_NAME;
if (!workerFunction) throw new Error('Configuration invalid or missing: REGENERATE_FUNCTION_NAME');

export const handler = idempotentRoute('RegenerateContent', TABLE_NAME, ({ userId, params, body }) =>
  requestRegeneration({ table: TABLE_NAME, workerFunction, userId, path: params, instructions: body?.instructions, now: new Date().toISOString() }),
);
