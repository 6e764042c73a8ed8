import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { parseBatchInput } from '../../shared/workflow/stages/common';
import { critiqueBatch } from '../../shared/workflow/stages/critic';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Writing Map, `{ ids, week, round }`: the critic reviews what this round wrote, code hard checks cap the scores, and each post's critique lands on its item. Returns the week's lowest score with the bar and the round limit, for the Choice. */
export async function handler(input: unknown) {
  const batch = parseBatchInput(input);
  logger.appendKeys(batch);
  return { ...batch, ...(await critiqueBatch(TABLE_NAME, batch, new Date().toISOString())) };
}
