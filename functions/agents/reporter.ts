import type { Context } from 'aws-lambda';
import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { workerLease } from '../../shared/workflow/job-run';
import { runCompletion } from '../../shared/workflow/report';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);
const inputSchema = z.object({ userId: z.string().check(z.minLength(1)), jobId: z.string().check(z.minLength(1)) });

/**
 * The completion worker, invoked asynchronously by POST /campaigns/{id}/complete with
 * `{ userId, jobId }`. It ends the job itself and never throws for the job's own failures, so
 * Lambda's asynchronous retries do not run the reporter twice; a repeated event does nothing.
 * The running job's lease is this invocation's deadline: killed by its timeout, it reads as failed.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid worker input: ${z.prettifyError(parsed.error)}`);
  logger.appendKeys(parsed.data);
  return runCompletion(config, parsed.data, () => new Date().toISOString(), workerLease(context));
}
