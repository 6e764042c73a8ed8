import { completeOnboarding } from '../../shared/app/edit-campaign';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('CompleteCampaignOnboarding', async ({ userId, params }) =>
  completeOnboarding(TABLE_NAME, userId, params.id),
);
