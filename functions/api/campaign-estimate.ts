import { readConfig } from '../../shared/config';
import { getCampaignRecord } from '../../shared/db/campaign-store';
import { httpRoute } from '../../shared/http/middleware';
import { campaignEstimate } from '../../shared/quotas';

const { TABLE_NAME } = readConfig(['TABLE_NAME']);

export const handler = httpRoute('EstimateCampaign', async ({ userId, params }) => campaignEstimate(await getCampaignRecord(TABLE_NAME, userId, params.id)));
