import { logger } from '../../../shared/core/logger';

/** A function that logs around an await, so two concurrent invocations interleave their log lines. */
export async function handler(event: { label: string; waitMs: number }) {
  logger.appendKeys({ label: event.label });
  logger.info('started');
  await new Promise((resolve) => setTimeout(resolve, event.waitMs));
  logger.info('finished');
  return event.label;
}
