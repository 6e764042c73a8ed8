import { readConfig } from '../../shared/core/config';
import { listJobs } from '../../shared/db/job-store';
import { Reply } from '../../shared/http/envelope';
import { httpRoute } from '../../shared/http/middleware';
import { jobRoutes } from '../../shared/http/routes/jobs';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(jobRoutes, 'ListJobs', async ({ userId, query }) => {
  const { jobs, nextCursor } = await listJobs(TABLE_NAME, userId, query);
  return new Reply(jobs, { nextCursor });
});
