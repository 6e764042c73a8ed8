import * as z from 'zod';
import { singleLineText } from './common';
import { connectedPlatforms, connectionStatuses, publishModes } from './vocabulary';

export const connectedPlatformSchema = z.enum(connectedPlatforms).meta({ id: 'ConnectedPlatform' });

export const connectionPathSchema = z.strictObject({ platform: connectedPlatformSchema });

/** What a creator sees of a connection: never a token or password. */
export const connectionSchema = z
  .object({
    platform: connectedPlatformSchema,
    accountId: z.string(),
    handle: z.string(),
    scopes: z.array(z.string()),
    status: z.enum(connectionStatuses).meta({ description: '`needs_reauth`: the platform refused the tokens; connect again' }),
    tokenExpiresAt: z.iso.datetime().optional().meta({ description: 'When the access token expires (it is refreshed before)' }),
    lastError: z.object({ message: z.string(), at: z.iso.datetime() }).optional(),
    connectedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Connection' });

export const startConnectionSchema = z
  .strictObject({
    redirectUri: singleLineText()
      .max(2000)
      .refine((value) => URL.canParse(value), { message: 'must be an absolute URL' })
      .optional()
      .meta({ description: 'OAuth platforms: one of the allow-listed redirect URIs (default: the first for the platform)' }),
    handle: singleLineText().trim().min(1).max(253).optional().meta({ description: 'Credentials platforms (Bluesky): the account handle' }),
    appPassword: singleLineText()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Credentials platforms (Bluesky): an app password, stored encrypted' }),
  })
  .meta({ id: 'StartConnectionRequest' });
export type StartConnection = z.infer<typeof startConnectionSchema>;

export const startedConnectionSchema = z
  .object({
    authorizationUrl: z
      .url()
      .optional()
      .meta({ description: 'OAuth platforms: send the creator here; the platform returns to the callback' }),
    stateExpiresAt: z.iso.datetime().optional(),
    connection: connectionSchema.optional().meta({ description: 'Credentials platforms: the connection, made at once' }),
  })
  .meta({ id: 'StartedConnection' });

export const connectionCallbackQuerySchema = z.object({
  state: singleLineText().min(1).max(200),
  code: singleLineText().min(1).max(2000).optional(),
  error: singleLineText().max(200).optional(),
});

export const publishModePathSchema = z.strictObject({ id: z.uuid(), platform: connectedPlatformSchema });
export const publishModeSchema = z
  .strictObject({
    mode: z
      .enum(publishModes)
      .meta({ description: '`remind` (default): a notification when a post is due; `auto`: Crescendo publishes approved posts' }),
  })
  .meta({ id: 'PublishModeRequest' });
export const publishModeViewSchema = z
  .object({ campaignId: z.uuid(), platform: connectedPlatformSchema, mode: z.enum(publishModes) })
  .meta({ id: 'PublishMode' });
