import { readConfig } from '../../shared/core/config';
import { parseTaskInput } from '../../shared/db/workflow-store';
import { logger } from '../../shared/core/logger';
import { planPosts } from '../../shared/workflow/stages/planner';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/** Computes the posting calendar, creates one content item per post (a re-run creates only what is missing), asks the planner for each post's pillar, topic and angle, and returns the Writing and Thumbnails Maps' items: the weeks. */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  return { ...ref, ...(await planPosts(TABLE_NAME, ref, new Date().toISOString())) };
}
