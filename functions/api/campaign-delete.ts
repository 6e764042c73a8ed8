import { readConfig } from '../../shared/core/config';
import { applyTransition, deleteCampaignItems } from '../../shared/db/campaign-store';
import { mediaPrefix } from '../../shared/db/keys';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';
import { deletePrefix } from '../../shared/media/objects';
import { s3 } from '../../shared/media/s3';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(campaignRoutes, 'DeleteCampaign', async ({ userId, params }) => {
  // The conditional transition refuses a generating or running campaign and proves it exists.
  await applyTransition(TABLE_NAME, userId, params.id, 'delete', {
    set: { deletingAt: new Date().toISOString() },
    now: new Date().toISOString(),
  });
  await deletePrefix(s3, MEDIA_BUCKET_NAME, mediaPrefix.campaign(userId, params.id));
  await deleteCampaignItems(TABLE_NAME, userId, params.id);
  return undefined;
});
