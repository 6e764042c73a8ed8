import { readConfig } from '../../shared/core/config';
import { approveCampaignLessons } from '../../shared/app/approve-lessons';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { lessonRoutes } from '../../shared/http/routes/lessons';
import { etag, ifMatchVersion } from '../../shared/http/preconditions';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(lessonRoutes, 'ApproveLessons', async ({ userId, params, body, event }) => {
  const lessons = await approveCampaignLessons(TABLE_NAME, userId, params.id, body ?? {}, ifMatchVersion(event), new Date().toISOString());
  return new Reply(lessons, { headers: etag(lessons.version) });
});
