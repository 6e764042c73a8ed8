import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ScheduledEvent } from 'aws-lambda';
import { readConfig } from '../../shared/core/config';
import { allShards } from '../../shared/db/due-posts';
import { dayRanges, windowContaining } from '../../shared/domain/due-window';
import type { ShardTask } from '../../shared/events/posting';
import { logger } from '../../shared/core/logger';

const { POSTING_SHARD_FUNCTION_NAME } = readConfig(['POSTING_SHARD_FUNCTION_NAME']);
const lambda = new LambdaClient({});

/**
 * EventBridge schedule target (every 15 minutes): fans the current window out to the shard
 * worker (functions/triggers/posting-shard.ts), one asynchronous invocation per (UTC day range,
 * shard): 16, or 32 when the window crosses midnight UTC. It reads nothing itself, so it cannot
 * time out on a busy window, and each shard is retried on its own (Lambda's async retries).
 *
 * Sizing for 100k due posts in an hour, all in one 15-minute window (the worst case): 16 shards
 * of ~6,250 posts. Per post the worker sends ~3.1 DynamoDB requests (GetItem of the campaign,
 * memoized per campaign, so ≤ 1; the conditional UpdateItem of the content item; the notification's
 * conditional PutItem; the index Query returns ~100 posts per page; one webhook Query per creator)
 * plus 0.1 PutEvents and one Invoke per webhook subscriber. At 16 requests in flight and ~10 ms per
 * request in the cloud, a shard takes ~6,250 × 3.1 × 10 ms / 16 ≈ 12 s (the bench measures the
 * local equivalent), far inside the worker's 5-minute timeout and Lambda's 15-minute cap; the
 * concurrency is 16 (32 across midnight) workers + their webhook deliveries, well inside the
 * default account limit of 1,000. Beyond that, DUE_SHARDS grows (the trigger fans out further).
 */
export async function handler(event: Pick<ScheduledEvent, 'time'>) {
  const { start, end } = windowContaining(new Date(event.time));
  const tasks: ShardTask[] = dayRanges(start, end).flatMap((range) =>
    allShards().map((shard) => ({ windowStart: start.toISOString(), range, shard })),
  );
  await Promise.all(
    tasks.map((task) =>
      lambda.send(new InvokeCommand({ FunctionName: POSTING_SHARD_FUNCTION_NAME, InvocationType: 'Event', Payload: JSON.stringify(task) })),
    ),
  );
  logger.info('posting window fanned out', { windowStart: start.toISOString(), windowEnd: end.toISOString(), shards: tasks.length });
  return { windowStart: start.toISOString(), windowEnd: end.toISOString(), shards: tasks.length };
}
