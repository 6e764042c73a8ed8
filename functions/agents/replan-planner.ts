import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { parseWeekInput } from '../../shared/workflow/batch';
import { replanInputSchema } from '../../shared/db/workflow-store';
import { planReplan } from '../../shared/workflow/stages/replan-planner';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Re-plan mode's first task, `{ userId, campaignId, attempt, replan }`: proposes the open posts' new arms, marks them for the rewrite, and returns the Weeks Map's items (the weeks with a changed post). */
export async function handler(input: unknown) {
  const ref = parseWeekInput(replanInputSchema, input);
  logger.appendKeys(ref);
  return { ...ref, ...(await planReplan(TABLE_NAME, ref, new Date().toISOString())) };
}
