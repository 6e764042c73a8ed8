import * as z from 'zod';
import { runAccountJob } from '../../shared/account-data';
import { readConfig } from '../../shared/config';
import { logger } from '../../shared/logger';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const inputSchema = z.object({ userId: z.string().min(1), jobId: z.string().min(1) });

/**
 * The account data worker, invoked asynchronously by GET /account/export, DELETE /account and the
 * Clerk `user.deleted` webhook with `{ userId, jobId }`. It ends the job itself; a repeated event
 * finds it ended (or, after a deletion, gone) and does nothing.
 */
export async function handler(event: unknown) {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid worker input: ${z.prettifyError(parsed.error)}`);
  logger.appendKeys(parsed.data);
  return runAccountJob(config, parsed.data);
}
