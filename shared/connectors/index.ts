import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { commaList, readConfig } from '../core/config';
import { blueskyConnector } from './bluesky';
import type { ConnectedPlatform } from '../schemas/vocabulary';
import type { ConnectedAccount, ConnectionSecret, Connector } from './connector';
import { pkcePair, xAuthorizationUrl, xConnector, type XSettings } from './x';

/**
 * The platforms Crescendo publishes to and reads from, one connector each, and how a connection to
 * each starts. Everything else (state, encryption, refresh, publishing, imports) is
 * shared/app/connections.ts and knows no platform.
 */

/** A redirect-based start (OAuth 2.0 authorization code + PKCE): the creator is sent to `authorizationUrl`, which comes back with a code. */
export interface OAuthConnectStep {
  kind: 'oauth';
  begin(state: string, redirectUri: string): Promise<{ authorizationUrl: string; verifier: string }>;
  complete(code: string, verifier: string, redirectUri: string): Promise<{ account: ConnectedAccount; secret: ConnectionSecret }>;
}
/** A credentials start (Bluesky: handle + app password, checked by creating a session). */
export interface CredentialsConnectStep {
  kind: 'credentials';
  connect(handle: string, appPassword: string): Promise<{ account: ConnectedAccount; secret: ConnectionSecret }>;
}
export type ConnectStep = OAuthConnectStep | CredentialsConnectStep;

let xApp: Promise<{ clientId: string; clientSecret: string }> | undefined;

/** Crescendo's X app: the environment locally, Secrets Manager (`X_APP_SECRET_ARN`, JSON) in the cloud; read once per container, a failure not cached. */
function xAppCredentials(): Promise<{ clientId: string; clientSecret: string }> {
  xApp ??= (async () => {
    const config = readConfig(['X_CLIENT_ID', 'X_CLIENT_SECRET', 'X_APP_SECRET_ARN']);
    if (config.X_CLIENT_ID && config.X_CLIENT_SECRET) return { clientId: config.X_CLIENT_ID, clientSecret: config.X_CLIENT_SECRET };
    if (!config.X_APP_SECRET_ARN) throw new Error('No X app configured (X_CLIENT_ID and X_CLIENT_SECRET, or X_APP_SECRET_ARN)');
    const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: config.X_APP_SECRET_ARN }));
    const parsed = JSON.parse(SecretString ?? '{}') as { clientId?: string; clientSecret?: string };
    if (!parsed.clientId || !parsed.clientSecret) throw new Error(`Secret ${config.X_APP_SECRET_ARN} lacks clientId or clientSecret`);
    return { clientId: parsed.clientId, clientSecret: parsed.clientSecret };
  })().catch((error: unknown) => {
    xApp = undefined;
    throw error;
  });
  return xApp;
}

async function xSettings(): Promise<XSettings> {
  const config = readConfig(['X_API_BASE_URL', 'X_AUTHORIZE_URL', 'CONNECTOR_TIMEOUT_MS']);
  return {
    apiBaseUrl: config.X_API_BASE_URL,
    authorizeUrl: config.X_AUTHORIZE_URL,
    timeoutMs: config.CONNECTOR_TIMEOUT_MS,
    ...(await xAppCredentials()),
  };
}

const x = xConnector(xSettings);

const bluesky = blueskyConnector(() => {
  const config = readConfig(['BLUESKY_SERVICE_URL', 'BLUESKY_APPVIEW_URL', 'CONNECTOR_TIMEOUT_MS']);
  return { serviceUrl: config.BLUESKY_SERVICE_URL, appViewUrl: config.BLUESKY_APPVIEW_URL, timeoutMs: config.CONNECTOR_TIMEOUT_MS };
});

/** One connector per platform of `connectedPlatforms` (shared/schemas/vocabulary.ts). */
export const connectors: Record<ConnectedPlatform, Connector> = {
  x,
  bluesky,
};

export const connectSteps: Record<ConnectedPlatform, ConnectStep> = {
  x: {
    kind: 'oauth',
    async begin(state, redirectUri) {
      const { verifier, challenge } = pkcePair();
      return { authorizationUrl: xAuthorizationUrl(await xSettings(), redirectUri, state, challenge), verifier };
    },
    complete: (code, verifier, redirectUri) => x.exchangeCode(code, verifier, redirectUri),
  },
  bluesky: { kind: 'credentials', connect: (handle, appPassword) => bluesky.connect(handle, appPassword) },
};

export const isConnectedPlatform = (platform: string): platform is ConnectedPlatform => platform in connectors;

/** The redirect URIs a connection may name (allow-list); the first is the default. */
export const allowedRedirectUris = () => commaList(readConfig(['CONNECTION_REDIRECT_URIS']).CONNECTION_REDIRECT_URIS);
