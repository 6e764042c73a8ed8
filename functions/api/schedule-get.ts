import { readConfig } from '../../shared/core/config';
import { campaignExecutions, readRunningCampaign, scheduledContent } from '../../shared/db/execution-store';
import { executionScores, postKey } from '../../shared/domain/learning';
import { scheduleDays, schedulePost, scheduleRange } from '../../shared/domain/execution';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';
import { presignGet } from '../../shared/media/presign';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(scheduleRoutes, 'GetSchedule', async ({ userId, params, query }) => {
  const campaign = await readRunningCampaign(TABLE_NAME, userId, params.id);
  const range = scheduleRange(campaign, query);
  const [content, executions] = await Promise.all([
    scheduledContent(TABLE_NAME, userId, params.id, range.fromDay, range.toDay),
    campaignExecutions(TABLE_NAME, userId, params.id),
  ]);
  // Every post of the campaign, not only the range: a score's baseline is the earlier posts.
  const scores = executionScores(executions);
  const posts = await Promise.all(
    content.map(async (item) =>
      schedulePost(item, item.thumbnailKey ? await presignGet(MEDIA_BUCKET_NAME, item.thumbnailKey) : undefined, scores.get(postKey(item))),
    ),
  );
  return { campaignId: params.id, timeZone: campaign.timeZone, from: range.from, to: range.to, days: scheduleDays(posts) };
});
