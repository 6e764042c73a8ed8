import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { deliver } from '../../shared/events/deliver';
import { logger } from '../../shared/core/logger';

const config = readConfig([
  'TABLE_NAME',
  'WEBHOOK_ALLOW_PRIVATE_URLS',
  'WEBHOOK_MAX_ATTEMPTS',
  'WEBHOOK_RETRY_BASE_MS',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_DISABLE_AFTER',
]);

const inputSchema = z.object({
  userId: z.string().check(z.minLength(1)),
  webhookId: z.string().check(z.minLength(1)),
  deliveryId: z.string().check(z.minLength(1)),
});

/** Asynchronously invoked once per delivery by the emitter (shared/events/emit.ts) or POST /webhooks/{id}/test. */
export async function handler(input: unknown) {
  const ref = inputSchema.parse(input);
  logger.appendKeys(ref);
  const result = await deliver(config, ref);
  logger.info('webhook delivery ended', result);
  return result;
}
