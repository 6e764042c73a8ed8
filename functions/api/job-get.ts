import { readConfig } from '../../shared/core/config';
import { getJob } from '../../shared/db/job-store';
import { httpRoute } from '../../shared/http/middleware';
import { jobRoutes } from '../../shared/http/routes/jobs';
import { withDownloadUrl } from '../../shared/media/export-download';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(jobRoutes, 'GetJob', async ({ userId, params }) =>
  withDownloadUrl(MEDIA_BUCKET_NAME, await getJob(TABLE_NAME, userId, params.id)),
);
