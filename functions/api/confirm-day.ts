import { readConfig } from '../../shared/core/config';
import { confirmPost, readRunningCampaign } from '../../shared/db/execution-store';
import { checkConfirmation } from '../../shared/domain/execution';
import { httpRoute } from '../../shared/http/middleware';
import { scheduleRoutes } from '../../shared/http/routes/schedule';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute(scheduleRoutes, 'ConfirmDay', async ({ userId, params, body }) => {
  const now = new Date();
  const campaign = await readRunningCampaign(TABLE_NAME, userId, params.id);
  checkConfirmation(campaign, body, now);
  return confirmPost(TABLE_NAME, userId, campaign, body, now.toISOString());
});
