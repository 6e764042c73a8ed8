import { readConfig } from '../../shared/core/config';
import { applyTransition, deleteCampaignItems } from '../../shared/db/campaign-store';
import { mediaPrefix } from '../../shared/db/keys';
import { httpRoute } from '../../shared/http/middleware';
import { campaignRoutes } from '../../shared/http/routes/campaigns';

const { TABLE_NAME, MEDIA_BUCKET_NAME } = readConfig(['TABLE_NAME', 'MEDIA_BUCKET_NAME']);

export const handler = httpRoute(campaignRoutes, 'DeleteCampaign', async ({ userId, params }) => {
  // The conditional transition refuses a generating or running campaign and proves it exists.
  const campaign = await applyTransition(TABLE_NAME, userId, params.id, 'delete', {
    set: { deletingAt: new Date().toISOString() },
    now: new Date().toISOString(),
  });
  // Only a workflow attempt writes media (thumbnails, agent outputs too large for their item): a
  // campaign never started has none, and a refused delete or a draft's never loads the S3 SDK.
  if (campaign.attempt > 0) {
    const [{ deletePrefix }, { s3 }] = await Promise.all([import('../../shared/media/objects'), import('../../shared/media/s3')]);
    await deletePrefix(s3, MEDIA_BUCKET_NAME, mediaPrefix.campaign(userId, params.id));
  }
  await deleteCampaignItems(TABLE_NAME, userId, params.id);
  return undefined;
});
