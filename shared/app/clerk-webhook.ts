import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Webhook, WebhookVerificationError } from 'svix';
import * as z from '../schemas/zod';
import type { Config } from '../core/config';
import { recordClerkDelivery, type ClerkUserChange } from '../db/clerk-delivery-store';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';

/**
 * Users from Clerk: `POST /auth/webhooks/clerk`, a Svix-signed delivery. The signature and the
 * timestamp (5 minutes either way, the svix package's tolerance) are checked before anything is
 * read or written; a failure is 401. Each delivery's effect and a marker of its `svix-id` land in
 * one transaction conditioned on the marker's absence, so a replayed or redelivered message is
 * processed once.
 *
 * `user.deleted` records the deletion request (`DELETION` item, the user item marked); the route
 * then starts the account deletion job (shared/app/request-account-job.ts), which removes those too.
 */

type SecretConfig = Pick<Config, 'CLERK_WEBHOOK_SECRET' | 'CLERK_WEBHOOK_SECRET_ARN'>;
let secret: Promise<string> | undefined;

/** The signing secret: from configuration locally, from Secrets Manager in the cloud (once per container; a failed fetch is not cached). */
export function webhookSecret(config: SecretConfig): Promise<string> {
  secret ??= (async () => {
    if (config.CLERK_WEBHOOK_SECRET) return config.CLERK_WEBHOOK_SECRET;
    if (!config.CLERK_WEBHOOK_SECRET_ARN)
      throw new Error('No Clerk webhook secret configured (CLERK_WEBHOOK_SECRET or CLERK_WEBHOOK_SECRET_ARN)');
    const { SecretString } = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: config.CLERK_WEBHOOK_SECRET_ARN }),
    );
    if (!SecretString?.trim()) throw new Error(`Secret ${config.CLERK_WEBHOOK_SECRET_ARN} has no SecretString`);
    return SecretString.trim();
  })().catch((error: unknown) => {
    secret = undefined;
    throw error;
  });
  return secret;
}

const emailSchema = z.object({ id: z.string(), email_address: z.string() });
const clerkEventSchema = z.object({
  type: z.string(),
  data: z.looseObject({
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    email_addresses: z.optional(z.array(emailSchema)),
    primary_email_address_id: z.nullish(z.string()),
  }),
});
export type ClerkEvent = z.infer<typeof clerkEventSchema>;

/** Verifies the Svix signature and timestamp of a delivery; anything wrong is 401 UNAUTHORIZED. */
export function verifyDelivery(
  signingSecret: string,
  payload: string,
  headers: Record<string, string | undefined>,
): { svixId: string; event: ClerkEvent } {
  const svixHeaders = {
    'svix-id': headers['svix-id'] ?? '',
    'svix-timestamp': headers['svix-timestamp'] ?? '',
    'svix-signature': headers['svix-signature'] ?? '',
  };
  try {
    new Webhook(signingSecret).verify(payload, svixHeaders);
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      throw new DomainError('UNAUTHORIZED', `The webhook signature does not verify: ${error.message}`);
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    throw new DomainError('INVALID_JSON', 'The webhook payload is not JSON');
  }
  const parsed = clerkEventSchema.safeParse(body);
  if (!parsed.success)
    throw new DomainError('VALIDATION_FAILED', 'The webhook payload is not a Clerk event', {
      issues: [{ path: 'body', message: z.prettifyError(parsed.error) }],
    });
  return { svixId: svixHeaders['svix-id'], event: parsed.data };
}

function primaryEmail(event: ClerkEvent): string | undefined {
  const { email_addresses: emails = [], primary_email_address_id: primary } = event.data;
  return (emails.find((email) => email.id === primary) ?? emails[0])?.email_address;
}

/** What a verified delivery changes: `handled` says whether the type means anything here. */
export async function processDelivery(
  table: string,
  svixId: string,
  event: ClerkEvent,
  now: Date,
): Promise<{ type: string; handled: boolean; duplicate: boolean }> {
  const userId = event.data.id;
  const change: ClerkUserChange | undefined = !userId
    ? undefined
    : event.type === 'user.created' || event.type === 'user.updated'
      ? { kind: 'upsert', userId, email: primaryEmail(event) }
      : event.type === 'user.deleted'
        ? { kind: 'deletion', userId }
        : undefined;
  const handled = change !== undefined;
  if (!(await recordClerkDelivery(table, svixId, event.type, change, now))) {
    logger.info('webhook delivery replayed; ignored', { svixId, type: event.type });
    return { type: event.type, handled, duplicate: true };
  }
  logger.info('webhook delivery processed', { svixId, type: event.type, userId });
  return { type: event.type, handled, duplicate: false };
}
