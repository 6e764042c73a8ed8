import * as z from './zod';
import { singleLineText } from './common';
import { connectedPlatforms, connectionStatuses, publishModes } from './vocabulary';

export const connectedPlatformSchema = z.withMeta(z.enum(connectedPlatforms), { id: 'ConnectedPlatform' });

export const connectionPathSchema = z.strictObject({ platform: connectedPlatformSchema });

/** What a creator sees of a connection: never a token or password. */
export const connectionSchema = z.withMeta(
  z.object({
    platform: connectedPlatformSchema,
    accountId: z.string(),
    handle: z.string(),
    scopes: z.array(z.string()),
    status: z.withMeta(z.enum(connectionStatuses), { description: '`needs_reauth`: the platform refused the tokens; connect again' }),
    tokenExpiresAt: z.withMeta(z.optional(z.iso.datetime()), { description: 'When the access token expires (it is refreshed before)' }),
    lastError: z.optional(z.object({ message: z.string(), at: z.iso.datetime() })),
    connectedAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  { id: 'Connection' },
);

export const startConnectionSchema = z.withMeta(
  z.strictObject({
    redirectUri: z.withMeta(
      z.optional(
        singleLineText().check(
          z.maxLength(2000),
          z.refine((value) => URL.canParse(value), { message: 'must be an absolute URL' }),
        ),
      ),
      { description: 'OAuth platforms: one of the allow-listed redirect URIs (default: the first for the platform)' },
    ),
    handle: z.withMeta(z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(253))), {
      description: 'Credentials platforms (Bluesky): the account handle',
    }),
    appPassword: z.withMeta(z.optional(singleLineText().check(z.minLength(1), z.maxLength(200))), {
      description: 'Credentials platforms (Bluesky): an app password, stored encrypted',
    }),
  }),
  { id: 'StartConnectionRequest' },
);
export type StartConnection = z.infer<typeof startConnectionSchema>;

export const startedConnectionSchema = z.withMeta(
  z.object({
    authorizationUrl: z.withMeta(z.optional(z.url()), {
      description: 'OAuth platforms: send the creator here; the platform returns to the callback',
    }),
    stateExpiresAt: z.optional(z.iso.datetime()),
    connection: z.withMeta(z.optional(connectionSchema), { description: 'Credentials platforms: the connection, made at once' }),
  }),
  { id: 'StartedConnection' },
);

export const connectionCallbackQuerySchema = z.object({
  state: singleLineText().check(z.minLength(1), z.maxLength(200)),
  code: z.optional(singleLineText().check(z.minLength(1), z.maxLength(2000))),
  error: z.optional(singleLineText().check(z.maxLength(200))),
});

export const publishModePathSchema = z.strictObject({ id: z.uuid(), platform: connectedPlatformSchema });
export const publishModeSchema = z.withMeta(
  z.strictObject({
    mode: z.withMeta(z.enum(publishModes), {
      description: '`remind` (default): a notification when a post is due; `auto`: Crescendo publishes approved posts',
    }),
  }),
  { id: 'PublishModeRequest' },
);
export const publishModeViewSchema = z.withMeta(
  z.object({ campaignId: z.uuid(), platform: connectedPlatformSchema, mode: z.enum(publishModes) }),
  { id: 'PublishMode' },
);
