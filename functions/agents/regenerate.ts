import * as z from 'zod';
import { readConfig } from '../../shared/config';
import { logger } from '../../shared/logger';
import { runRegeneration } from '../../shared/workflow/regenerate';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const inputSchema = z.object({ userId: z.string().min(1), jobId: z.string().min(1) });

/**
 * The regeneration worker, invoked asynchronously by POST …/regenerate with `{ userId, jobId }`.
 * It ends the job `succeeded` or `failed` itself and never throws for the job's own failures, so
 * Lambda's asynchronous retries do not pay for a second rewrite; a repeated event finds the job
 * ended and does nothing.
 */
export async function handler(event: unknown) {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid worker input: ${z.prettifyError(parsed.error)}`);
  logger.appendKeys(parsed.data);
  return runRegeneration(TABLE_NAME, MEDIA_BUCKET_NAME, parsed.data);
}
