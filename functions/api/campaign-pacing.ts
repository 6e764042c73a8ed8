import { readCampaignPacing } from '../../shared/app/pacing';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'GetCampaignPacing', async ({ userId, params }) =>
  readCampaignPacing(TABLE_NAME, userId, params.id),
);
