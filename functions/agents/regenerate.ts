import type { Context } from 'aws-lambda';
import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { getJob } from '../../shared/db/job-store';
import { logger } from '../../shared/core/logger';
import { runProfileAnalysis } from '../../shared/workflow/profile-context';
import { workerLease } from '../../shared/workflow/job-run';
import { runRegeneration } from '../../shared/workflow/regenerate';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);
const inputSchema = z.object({ userId: z.string().check(z.minLength(1)), jobId: z.string().check(z.minLength(1)) });

/**
 * The agent job worker, invoked asynchronously with `{ userId, jobId }` by POST …/regenerate (a
 * post rewritten, re-critiqued and re-drawn) and POST /profile/analyze (the context analyzer on
 * the profile). It ends the job `succeeded` or `failed` itself and never throws for the job's own
 * failures, so Lambda's asynchronous retries do not pay twice; a repeated event finds the job ended.
 * The running job's lease is this invocation's deadline: killed by its timeout, it reads as failed.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const parsed = inputSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid worker input: ${z.prettifyError(parsed.error)}`);
  logger.appendKeys(parsed.data);
  const lease = workerLease(context);
  const clock = () => new Date().toISOString();
  const { kind } = await getJob(TABLE_NAME, parsed.data.userId, parsed.data.jobId);
  return kind === 'analyze'
    ? runProfileAnalysis(TABLE_NAME, parsed.data, clock, lease)
    : runRegeneration(TABLE_NAME, MEDIA_BUCKET_NAME, parsed.data, clock, lease);
}
