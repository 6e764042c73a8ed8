import { processDelivery, verifyDelivery, webhookSecret } from '../../shared/clerk';
import { readConfig } from '../../shared/config';
import { httpRoute } from '../../shared/http/middleware';

const config = readConfig(['TABLE_NAME', 'CLERK_WEBHOOK_SECRET', 'CLERK_WEBHOOK_SECRET_ARN']);

/** The body is read raw (no JSON parser on this route): the signature covers the exact bytes. */
export const handler = httpRoute('ClerkWebhook', async ({ event }) => {
  const payload = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  const { svixId, event: clerkEvent } = verifyDelivery(await webhookSecret(config), payload, event.headers);
  return processDelivery(config.TABLE_NAME, svixId, clerkEvent, new Date());
});
