import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { readConfig } from '../../shared/config';
import { dynamo } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { isPhase2Complete, type ProfileRecord } from '../../shared/domain/profile';
import { logger } from '../../shared/logger';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** The state machine's input (see infra/workflow.ts). */
export const workflowInputSchema = z.object({
  userId: z.string().min(1),
  campaignId: z.string().min(1),
  attempt: z.number().int().nonnegative(),
});

/** Step Functions matches Retry/Catch on the error's name. */
function workflowError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * First workflow task: checks the input and loads the few profile facts later tasks branch on.
 * The state carries ids and small fields only; the tasks read everything else from the table.
 */
export async function handler(input: unknown) {
  const parsed = workflowInputSchema.safeParse(input);
  if (!parsed.success) throw workflowError('InvalidWorkflowInput', z.prettifyError(parsed.error));
  const { userId, campaignId, attempt } = parsed.data;
  logger.appendKeys({ userId, campaignId, attempt });

  const { Item } = await dynamo.send(new GetCommand({ TableName: TABLE_NAME, Key: keys.profile(userId) }));
  if (!Item) throw workflowError('ProfileNotFound', `User ${userId} has no profile`);
  const profile = Item as ProfileRecord;

  logger.info('context loaded');
  return {
    userId,
    campaignId,
    attempt,
    profile: { timeZone: profile.timeZone, niche: profile.niche, phase2Completed: isPhase2Complete(profile) },
  };
}
