import { evaluatePacingAfterNumbers } from '../../shared/app/pacing';
import { readConfig } from '../../shared/core/config';
import { confirmPost, readRunningCampaign } from '../../shared/db/execution-store';
import { checkConfirmation } from '../../shared/domain/execution';
import { httpRoute } from '../../shared/http/middleware';

const config = readConfig(['TABLE_NAME', 'EVENT_BUS_NAME', 'WEBHOOK_DELIVERY_FUNCTION_NAME']);

export const handler = httpRoute('ConfirmDay', async ({ userId, params, body }) => {
  const now = new Date();
  const campaign = await readRunningCampaign(config.TABLE_NAME, userId, params.id);
  checkConfirmation(campaign, body, now);
  const execution = await confirmPost(config.TABLE_NAME, userId, campaign, body, now.toISOString());
  await evaluatePacingAfterNumbers(config, userId, [params.id], now);
  return execution;
});
