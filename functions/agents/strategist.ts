import { readConfig } from '../../shared/core/config';
import { parseTaskInput } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { planStrategy } from '../../shared/workflow/stages/strategist';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** The strategy from the goal, the context analysis, the forensics and the learning memories, stored as the `strategy` output. */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  return { ...ref, ...(await planStrategy(TABLE_NAME, ref, new Date().toISOString())) };
}
