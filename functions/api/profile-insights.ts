import { readConfig } from '../../shared/core/config';
import { creatorPostingSlots } from '../../shared/db/report-store';
import { MIN_POSTS_PER_HOUR, MIN_POSTS_PER_PLATFORM, postingTimeInsights } from '../../shared/domain/posting-times';
import { httpRoute } from '../../shared/http/middleware';
import { lessonRoutes } from '../../shared/http/routes/lessons';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(lessonRoutes, 'GetProfileInsights', async ({ userId }) => {
  const { campaigns, slots } = await creatorPostingSlots(TABLE_NAME, userId);
  return {
    postingTimes: postingTimeInsights(slots),
    threshold: { postsPerPlatform: MIN_POSTS_PER_PLATFORM, postsPerHour: MIN_POSTS_PER_HOUR },
    campaigns,
  };
});
