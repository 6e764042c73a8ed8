import { listCampaignReplans } from '../../shared/app/replan';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { replanRoutes } from '../../shared/http/routes/replans';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(replanRoutes, 'ListReplans', ({ userId, params }) =>
  listCampaignReplans(TABLE_NAME, userId, params.id, new Date().toISOString()),
);
