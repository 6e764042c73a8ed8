import type { Context } from 'aws-lambda';
import * as z from '../../shared/schemas/zod';
import { runAccountJob } from '../../shared/app/run-account-job';
import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { workerLease } from '../../shared/workflow/job-run';

const config = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const inputSchema = z.object({ userId: z.string().check(z.minLength(1)), jobId: z.string().check(z.minLength(1)) });

/**
 * The account data worker, invoked asynchronously by GET /account/export, DELETE /account, the
 * Clerk `user.deleted` webhook and itself, with `{ userId, jobId }`. It ends the job itself; a
 * repeated event finds it ended (or, after a deletion, gone) and does nothing. The running job's
 * lease is this invocation's deadline. A deletion near it hands the job to a new invocation of this
 * function (the context's name) between batches; one killed anyway is taken over by Lambda's retry
 * once its lease passed. An export killed by its timeout reads as failed, and the next request
 * starts a new one.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis' | 'functionName'>) {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid worker input: ${z.prettifyError(parsed.error)}`);
  logger.appendKeys(parsed.data);
  const invocation = context && { functionName: context.functionName, remainingMs: () => context.getRemainingTimeInMillis() };
  return runAccountJob(config, parsed.data, { leaseExpiresAt: workerLease(context), invocation });
}
