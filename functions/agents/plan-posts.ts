import { readConfig } from '../../shared/config';
import {
  createPlannedContent,
  expectGenerating,
  parseTaskInput,
  readAttempt,
  recordProgress,
  saveAgentOutput,
  scheduleRequestOf,
} from '../../shared/db/workflow-store';
import { buildSchedule, planSummary } from '../../shared/domain/schedule';
import { logger } from '../../shared/logger';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/**
 * Computes the posting calendar from the campaign header and creates one content item per post
 * (a re-run creates only what is missing), then stores the plan summary as the `plan` agent output.
 */
export async function handler(input: unknown) {
  const ref = parseTaskInput(input);
  logger.appendKeys(ref);
  const campaign = expectGenerating(await readAttempt(TABLE_NAME, ref));
  const posts = buildSchedule(scheduleRequestOf(campaign));
  const now = new Date().toISOString();
  const created = await createPlannedContent(TABLE_NAME, ref, posts, now);
  await saveAgentOutput(TABLE_NAME, ref, 'plan', planSummary(posts), now);
  await recordProgress(TABLE_NAME, ref, { step: 'plan', postsTotal: posts.length }, now);
  logger.info('posts planned', { postsTotal: posts.length, created });
  // The two Maps' items: small, so even 90 days × 8 platforms (720 posts) stay far below the
  // state's 256 KB (about 35 bytes a post).
  return { ...ref, postsTotal: posts.length, posts: posts.map(({ day, platform }) => ({ day, platform })) };
}
