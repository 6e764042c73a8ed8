import { readConfig } from '../../shared/core/config';
import { readRunningCampaign, scheduledContent } from '../../shared/db/execution-store';
import { scheduleDays, schedulePost, scheduleRange } from '../../shared/domain/execution';
import { httpRoute } from '../../shared/http/middleware';
import { presignGet } from '../../shared/media/s3';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute('GetSchedule', async ({ userId, params, query }) => {
  const campaign = await readRunningCampaign(TABLE_NAME, userId, params.id);
  const range = scheduleRange(campaign, query);
  const content = await scheduledContent(TABLE_NAME, userId, params.id, range.fromDay, range.toDay);
  const posts = await Promise.all(
    content.map(async (item) => schedulePost(item, item.thumbnailKey ? await presignGet(MEDIA_BUCKET_NAME, item.thumbnailKey) : undefined)),
  );
  return { campaignId: params.id, timeZone: campaign.timeZone, from: range.from, to: range.to, days: scheduleDays(posts) };
});
