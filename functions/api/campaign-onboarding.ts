import { campaignEditRoute } from '../../shared/campaigns';
import { readConfig } from '../../shared/config';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('UpdateCampaignOnboarding', campaignEditRoute(TABLE_NAME));
