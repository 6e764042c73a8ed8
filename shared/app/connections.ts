import { randomBytes } from 'node:crypto';
import { readConfig } from '../core/config';
import { DomainError } from '../core/errors';
import { logger } from '../core/logger';
import { ConnectorError, type ConnectedAccount, type ConnectionSecret } from '../connectors/connector';
import { allowedRedirectUris, connectors, connectSteps, isConnectedPlatform } from '../connectors';
import { configuredKeyWrapper, openSecret, sealSecret } from '../crypto/envelope-encryption';
import {
  connectionView,
  deleteConnection,
  listConnections,
  markNeedsReauth,
  noteConnectionError,
  putConnection,
  putOAuthState,
  readConnection,
  replaceSecret,
  takeOAuthState,
  type ConnectionRecord,
  type ConnectionView,
} from '../db/connection-store';
import { emitCreatorEvents, type EmitterConfig } from '../events/emit';
import type { StartConnection } from '../schemas/connections';
import type { ConnectedPlatform, PublishMode } from '../schemas/vocabulary';
import { getCampaignRecord } from '../db/campaign-store';
import { setAutoPublish } from '../db/publish-store';

/**
 * Connections to the creator's platform accounts, whatever the platform: the start (an OAuth
 * redirect or credentials, shared/connectors/index.ts), the sealed tokens (envelope encryption, as
 * the creator's Gemini key: a token is decrypted only for the connector call that needs it and is
 * never logged, returned, exported or put in an event), refresh before expiry, `needs_reauth` when
 * the platform refuses, and revocation at the platform on disconnect and account deletion.
 */

/** An OAuth start lives this long, and is single-use. */
export const OAUTH_STATE_TTL_SECONDS = 600;
/** Tokens expiring sooner than this are refreshed before a call. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

const table = () => readConfig(['TABLE_NAME']).TABLE_NAME;

async function store(userId: string, account: ConnectedAccount, secret: ConnectionSecret, now: string): Promise<ConnectionView> {
  const record: ConnectionRecord = {
    platform: account.platform,
    accountId: account.accountId,
    handle: account.handle,
    scopes: account.scopes,
    status: 'active',
    ...(secret.expiresAt && { tokenExpiresAt: secret.expiresAt }),
    connectedAt: now,
    updatedAt: now,
    secretVersion: 1,
    sealed: await sealSecret(configuredKeyWrapper(), userId, JSON.stringify(secret)),
  };
  await putConnection(table(), userId, record);
  return connectionView(record);
}

const accountOf = (record: ConnectionRecord): ConnectedAccount => ({
  platform: record.platform as ConnectedAccount['platform'],
  accountId: record.accountId,
  handle: record.handle,
  scopes: record.scopes,
});

const openTokens = async (userId: string, record: ConnectionRecord) =>
  JSON.parse(await openSecret(configuredKeyWrapper(), userId, record.sealed)) as ConnectionSecret;

const platformError = (platform: string, error: unknown): Error => {
  if (!(error instanceof ConnectorError)) return error as Error;
  if (error.failure === 'refused' || error.failure === 'reauth_required')
    return new DomainError('CONNECTION_REFUSED', `${platform} refused the connection`, { platform });
  return new DomainError('PLATFORM_UNAVAILABLE', `${platform} did not answer; try again`, { platform, failure: error.failure });
};

/** POST /connections/{platform}: an authorization URL (OAuth platforms) or the connection itself (credentials). */
export async function startConnection(userId: string, platform: ConnectedPlatform, body: StartConnection, now = new Date()) {
  const step = connectSteps[platform];
  if (step.kind === 'credentials') {
    if (!body.handle || !body.appPassword || body.redirectUri)
      throw new DomainError('CONNECTION_METHOD_MISMATCH', `${platform} connects with handle and appPassword`, { platform });
    const connected = await step.connect(body.handle, body.appPassword).catch((error: unknown) => {
      throw platformError(platform, error);
    });
    return { connection: await store(userId, connected.account, connected.secret, now.toISOString()) };
  }
  if (body.handle || body.appPassword)
    throw new DomainError('CONNECTION_METHOD_MISMATCH', `${platform} connects through its authorization page, not a password`, {
      platform,
    });
  const allowed = allowedRedirectUris();
  const redirectUri = body.redirectUri ?? allowed.find((uri) => uri.includes(`/connections/${platform}/`));
  if (!redirectUri || !allowed.includes(redirectUri))
    throw new DomainError('REDIRECT_URI_NOT_ALLOWED', 'The redirect URI is not on the allow-list', { allowed });
  const state = randomBytes(32).toString('base64url');
  const { authorizationUrl, verifier } = await step.begin(state, redirectUri);
  const expiresAt = Math.floor(now.getTime() / 1000) + OAUTH_STATE_TTL_SECONDS;
  await putOAuthState(table(), state, { userId, platform, verifier, redirectUri, expiresAt });
  return { authorizationUrl, stateExpiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** GET /connections/{platform}/callback: the state must be one this platform's start issued, unused and under 10 minutes old. */
export async function completeConnection(
  platform: ConnectedPlatform,
  query: { state: string; code?: string; error?: string },
  now = new Date(),
): Promise<ConnectionView> {
  const step = connectSteps[platform];
  const pending = await takeOAuthState(table(), query.state);
  if (step.kind !== 'oauth' || !pending || pending.platform !== platform || pending.expiresAt * 1000 <= now.getTime())
    throw new DomainError('CONNECTION_STATE_INVALID', 'Unknown, used or expired connection state; start the connection again');
  if (query.error || !query.code)
    throw new DomainError('CONNECTION_REFUSED', `${platform} did not authorize Crescendo (${query.error ?? 'no code'})`, { platform });
  const connected = await step.complete(query.code, pending.verifier, pending.redirectUri).catch((error: unknown) => {
    throw platformError(platform, error);
  });
  return store(pending.userId, connected.account, connected.secret, now.toISOString());
}

export async function connectionViews(userId: string): Promise<ConnectionView[]> {
  return (await listConnections(table(), userId)).map(connectionView);
}

/** DELETE /connections/{platform}: revoked at the platform (a token it already refuses needs no revoke), then removed. */
export async function disconnect(userId: string, platform: ConnectedPlatform): Promise<void> {
  const record = await readConnection(table(), userId, platform);
  if (!record) throw new DomainError('CONNECTION_NOT_FOUND', `No ${platform} connection`, { platform });
  await revoke(userId, record).catch((error: unknown) => {
    throw platformError(platform, error);
  });
  await deleteConnection(table(), userId, platform);
}

async function revoke(userId: string, record: ConnectionRecord): Promise<void> {
  if (!isConnectedPlatform(record.platform)) return;
  try {
    await connectors[record.platform].revoke(accountOf(record), await openTokens(userId, record));
  } catch (error) {
    if (error instanceof ConnectorError && (error.failure === 'reauth_required' || error.failure === 'refused')) return;
    throw error;
  }
}

/** Account deletion: every connection revoked at its platform (best effort: a platform that does not answer is logged; the tokens go with the account). */
export async function revokeAllConnections(userId: string): Promise<{ revoked: number; failed: number }> {
  let revoked = 0;
  let failed = 0;
  for (const record of await listConnections(table(), userId)) {
    try {
      await revoke(userId, record);
      revoked++;
    } catch (error) {
      failed++;
      logger.warn('connection not revoked at the platform', { platform: record.platform, failure: (error as ConnectorError).failure });
    }
  }
  return { revoked, failed };
}

export type ConnectedCall<T> = (account: ConnectedAccount, secret: ConnectionSecret) => Promise<T>;

/**
 * Runs one connector call with the creator's tokens: refreshed first when they expire within
 * REFRESH_MARGIN_MS, and once more if the platform answers the call as unauthorized. A refresh the
 * platform refuses marks the connection `needs_reauth` and tells the creator (notification and
 * `connection.needs_reauth`), once; the call then fails with `reauth_required`.
 */
export async function withConnection<T>(
  config: EmitterConfig,
  userId: string,
  platform: ConnectedPlatform,
  call: ConnectedCall<T>,
  now = () => new Date(),
): Promise<T> {
  let record = await readConnection(config.TABLE_NAME, userId, platform);
  if (!record) throw new ConnectorError('reauth_required', `No ${platform} connection`);
  if (record.status === 'needs_reauth') throw new ConnectorError('reauth_required', `The ${platform} connection needs to be made again`);
  const account = accountOf(record);
  let secret = await openTokens(userId, record);

  const refresh = async () => {
    try {
      const fresh = await connectors[platform].refresh(account, secret);
      const stored = await replaceSecret(config.TABLE_NAME, userId, platform, record!.secretVersion, {
        sealed: await sealSecret(configuredKeyWrapper(), userId, JSON.stringify(fresh)),
        tokenExpiresAt: fresh.expiresAt,
        now: now().toISOString(),
      });
      if (stored) return fresh;
      // Another call refreshed first (a refresh token is single-use): its tokens are the current ones.
      record = await readConnection(config.TABLE_NAME, userId, platform);
      if (!record) throw new ConnectorError('reauth_required', `No ${platform} connection`);
      return openTokens(userId, record);
    } catch (error) {
      if (error instanceof ConnectorError && error.failure === 'reauth_required')
        await needsReauth(config, userId, account, error.message, now());
      throw error;
    }
  };

  if (secret.expiresAt && Date.parse(secret.expiresAt) - now().getTime() < REFRESH_MARGIN_MS) secret = await refresh();
  try {
    return await call(account, secret);
  } catch (error) {
    if (!(error instanceof ConnectorError && error.failure === 'reauth_required') || !secret.refreshToken) throw error;
    secret = await refresh();
    return call(account, secret);
  }
}

async function needsReauth(config: EmitterConfig, userId: string, account: ConnectedAccount, message: string, at: Date) {
  const now = at.toISOString();
  if (!(await markNeedsReauth(config.TABLE_NAME, userId, account.platform, message.slice(0, 300), now))) return;
  await emitCreatorEvents(
    config,
    [
      {
        type: 'connection.needs_reauth',
        userId,
        occurredAt: now,
        data: { platform: account.platform, handle: account.handle },
        dedupeKey: `connection.needs_reauth#${account.platform}#${now}`,
      },
    ],
    now,
  );
}

export const noteError = (userId: string, platform: string, message: string, now: string) =>
  noteConnectionError(table(), userId, platform, message.slice(0, 300), now);

/** PUT /campaigns/{id}/publishing/{platform}: `auto` needs the platform in the campaign and a connection to it. */
export async function setPublishMode(userId: string, campaignId: string, platform: ConnectedPlatform, mode: PublishMode) {
  const campaign = await getCampaignRecord(table(), userId, campaignId);
  const platforms = ((campaign.platforms as { platform: string }[] | undefined) ?? []).map((entry) => entry.platform);
  if (!platforms.includes(platform))
    throw new DomainError('PLATFORM_NOT_IN_CAMPAIGN', `The campaign does not post on ${platform}`, { platform, platforms });
  if (mode === 'auto' && !(await readConnection(table(), userId, platform)))
    throw new DomainError('CONNECTION_NOT_FOUND', `Connect ${platform} before publishing to it automatically`, { platform });
  await setAutoPublish(table(), userId, campaignId, platform, mode === 'auto');
  return { campaignId, platform, mode };
}
