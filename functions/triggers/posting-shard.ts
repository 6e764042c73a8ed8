import * as z from '../../shared/schemas/zod';
import { readConfig } from '../../shared/core/config';
import { processShard } from '../../shared/events/posting';
import { publishDuePost } from '../../shared/app/publish-post';
import { logger } from '../../shared/core/logger';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME', 'MEDIA_BUCKET_NAME']);

const taskSchema = z.object({
  windowStart: z.iso.datetime(),
  range: z.object({ day: z.iso.date(), from: z.string().check(z.regex(/^\d\d:\d\d$/)), to: z.string().check(z.regex(/^\d\d:\d\d$/)) }),
  shard: z.number().check(z.int(), z.gte(0)),
});

/** Invoked asynchronously by the posting trigger, once per (UTC day range, shard) of a window. */
export async function handler(input: unknown) {
  const task = taskSchema.parse(input);
  logger.appendKeys({ windowStart: task.windowStart, day: task.range.day, shard: task.shard });
  const report = await processShard(config, task, undefined, (post, campaign) =>
    publishDuePost(config, post, { campaignName: campaign.name, windowStart: task.windowStart }),
  );
  logger.info('due posts processed', { ...report, skipped: report.skipped.length });
  return report;
}
