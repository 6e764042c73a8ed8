import { readConfig } from '../../shared/core/config';
import { parseTaskInput } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { analyzeCompetitors } from '../../shared/workflow/stages/forensics';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Research branch: competitor forensics from the listed handles, niche and platforms (nothing is fetched), stored as the `forensics` output. */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  return { ...ref, ...(await analyzeCompetitors(TABLE_NAME, ref, new Date().toISOString())) };
}
