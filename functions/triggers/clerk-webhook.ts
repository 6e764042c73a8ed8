import { requestAccountDeletion } from '../../shared/app/request-account-job';
import { processDelivery, verifyDelivery, webhookSecret } from '../../shared/app/clerk-webhook';
import { readConfig } from '../../shared/core/config';
import { httpRoute } from '../../shared/http/middleware';
import { accountRoutes } from '../../shared/http/routes/account';

const config = readConfig(['TABLE_NAME', 'CLERK_WEBHOOK_SECRET', 'CLERK_WEBHOOK_SECRET_ARN', 'ACCOUNT_DATA_FUNCTION_NAME']);

/** The body is read raw (no JSON parser on this route): the signature covers the exact bytes. */
export const handler = httpRoute(accountRoutes, 'ClerkWebhook', async ({ event }) => {
  const payload = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const { svixId, event: clerkEvent } = verifyDelivery(await webhookSecret(config), payload, event.headers);
  const now = new Date();
  const outcome = await processDelivery(config.TABLE_NAME, svixId, clerkEvent, now);
  // Also on a replay: starting the deletion is idempotent, and a first attempt may have failed after the marker.
  if (clerkEvent.type === 'user.deleted' && clerkEvent.data.id) {
    await requestAccountDeletion(
      { table: config.TABLE_NAME, workerFunction: config.ACCOUNT_DATA_FUNCTION_NAME },
      clerkEvent.data.id,
      now.toISOString(),
    );
  }
  return outcome;
});
