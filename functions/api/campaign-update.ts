import { campaignEditRoute } from '../../shared/app/edit-campaign';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('UpdateCampaign', campaignEditRoute(TABLE_NAME));
