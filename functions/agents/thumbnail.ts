import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { parseWeekInput, weekInputSchema } from '../../shared/workflow/batch';
import { makeWeekThumbnails } from '../../shared/workflow/thumbnail';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

/**
 * Thumbnails Map item: `{ userId, campaignId, attempt, week }`. Renders the week's thumbnails
 * (IMAGE_PROVIDER, falling back to the offline title card) into the media bucket and records each
 * key on its content item; a re-run renders only what is missing.
 */
export async function handler(input: unknown) {
  const { week, ...ref } = parseWeekInput(weekInputSchema, input);
  logger.appendKeys({ ...ref, week });
  return makeWeekThumbnails(TABLE_NAME, MEDIA_BUCKET_NAME, { ...ref, week }, new Date().toISOString());
}
