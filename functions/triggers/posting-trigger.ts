import type { ScheduledEvent } from 'aws-lambda';
import { readConfig } from '../../shared/config';
import { allShards, duePostsInShard } from '../../shared/db/due-posts';
import { dayRanges, windowContaining } from '../../shared/domain/due-window';
import { logger } from '../../shared/logger';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

/**
 * EventBridge schedule target: finds the posts due in the current window through the sharded
 * due-post index (never a Scan). Marking, notifying and publishing `post.due` arrive with the
 * campaign-running issue; today it reports what is due.
 */
export async function handler(event: Pick<ScheduledEvent, 'time'>) {
  const { start, end } = windowContaining(new Date(event.time));
  const ranges = dayRanges(start, end);
  const perShard = await Promise.all(
    ranges.flatMap((range) => allShards().map((shard) => duePostsInShard(TABLE_NAME, range, shard))),
  );
  const due = perShard.flat();
  logger.info('posting window scanned', { windowStart: start.toISOString(), windowEnd: end.toISOString(), due: due.length });
  return { windowStart: start.toISOString(), windowEnd: end.toISOString(), due: due.length };
}
