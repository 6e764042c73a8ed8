import { readConfig } from '../../shared/core/config';
import { logger } from '../../shared/core/logger';
import { markWeekReady } from '../../shared/db/workflow-store';
import { parseWeekInput, weekInputSchema } from '../../shared/workflow/batch';
import { makeWeekThumbnails } from '../../shared/workflow/thumbnail';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

/**
 * Weeks Map, the week's last task: `{ userId, campaignId, attempt, week }`. Renders the week's
 * thumbnails (IMAGE_PROVIDER, falling back to the offline title card) into the media bucket and
 * records each key on its content item (a re-run renders only what is missing), then the week is
 * ready: its posts due-indexed for the posting trigger and listed in `progress.weeksReady`.
 */
export async function handler(input: unknown) {
  const { week, ...ref } = parseWeekInput(weekInputSchema, input);
  logger.appendKeys({ ...ref, week });
  const now = new Date().toISOString();
  const thumbnails = await makeWeekThumbnails(TABLE_NAME, MEDIA_BUCKET_NAME, { ...ref, week }, now);
  await markWeekReady(TABLE_NAME, { ...ref }, week, now, thumbnails.replan);
  logger.info('week ready', { week, posts: thumbnails.posts });
  return thumbnails;
}
