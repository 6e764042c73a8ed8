import { readConfig } from '../../shared/core/config';
import { parseTaskInput } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { analyzeContext } from '../../shared/workflow/stages/context';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Research branch: the context analysis of the creator's frozen profile, stored as the `context` output (reused on a re-run with the same profile). */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  return { ...ref, ...(await analyzeContext(TABLE_NAME, ref, new Date().toISOString())) };
}
