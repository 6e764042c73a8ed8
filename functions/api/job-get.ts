import { readConfig } from '../../shared/config';
import { getJob } from '../../shared/db/job-store';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('GetJob', ({ userId, params }) => getJob(TABLE_NAME, userId, params.id));
