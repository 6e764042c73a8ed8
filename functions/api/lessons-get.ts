import { readConfig } from '../../shared/core/config';
import { getLessons } from '../../shared/db/report-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { lessonRoutes } from '../../shared/http/routes/lessons';
import { etag } from '../../shared/http/preconditions';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(lessonRoutes, 'GetLessons', async ({ userId, params }) => {
  const lessons = await getLessons(TABLE_NAME, userId, params.id);
  return new Reply(lessons, { headers: etag(lessons.version) });
});
