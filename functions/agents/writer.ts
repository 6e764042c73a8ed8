import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { parseBatchInput } from '../../shared/workflow/stages/common';
import { writeBatch } from '../../shared/workflow/stages/writer';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Writing Map, `{ ids, week, round }`: writes the week's posts (round 0) or rewrites those the last critique scored below the bar, onto the content items; a creator's edit is never overwritten. */
export async function handler(input: unknown) {
  const batch = parseBatchInput(input);
  logger.appendKeys(batch);
  return { ...batch, ...(await writeBatch(TABLE_NAME, batch, new Date().toISOString())) };
}
