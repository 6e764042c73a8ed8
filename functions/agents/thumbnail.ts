import { readConfig } from '../../shared/config';
import { WorkflowError } from '../../shared/db/workflow-store';
import { logger } from '../../shared/logger';
import { makeThumbnail, thumbnailInputSchema } from '../../shared/workflow/thumbnail';
import * as z from 'zod';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

/**
 * Thumbnails Map item: `{ userId, campaignId, attempt, day, platform }`. Renders the post's
 * thumbnail (IMAGE_PROVIDER, falling back to the offline title card) into the media bucket and
 * records its key on the content item; a re-run with the same inputs renders nothing.
 */
export async function handler(input: unknown) {
  const parsed = thumbnailInputSchema.safeParse(input);
  if (!parsed.success) throw new WorkflowError('InvalidWorkflowInput', z.prettifyError(parsed.error));
  const { day, platform, ...ref } = parsed.data;
  logger.appendKeys({ ...ref, day, platform });
  return makeThumbnail(TABLE_NAME, MEDIA_BUCKET_NAME, parsed.data, new Date().toISOString());
}
