import { readConfig } from '../../shared/core/config';
import { getCampaignRecord } from '../../shared/db/campaign-store';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';
import { estimateForCreator } from '../../shared/app/quotas';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'EstimateCampaign', async ({ userId, params }) =>
  estimateForCreator(TABLE_NAME, userId, await getCampaignRecord(TABLE_NAME, userId, params.id)),
);
