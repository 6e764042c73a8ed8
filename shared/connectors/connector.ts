import type { Platform } from '../schemas/common';
import type { PostMetrics } from '../schemas/execution';

/** What a connection holds, decrypted only inside the connector call. Never logged or returned. */
export interface ConnectionSecret {
  accessToken: string;
  refreshToken?: string;
  /** ISO datetime when the access token expires (absent: does not expire / session-based). */
  expiresAt?: string;
  /** Bluesky: the app password; X: absent. */
  appPassword?: string;
}
export interface ConnectedAccount {
  platform: Platform;
  accountId: string;
  handle: string;
  scopes: string[];
}
export interface PostToPublish {
  text: string;
  image?: { bytes: Uint8Array; mimeType: string; alt: string };
  /** A marker Crescendo puts on the post (platform-appropriate: e.g. a short tag or record field) to find it again after an unknown outcome. */
  marker: string;
}
export interface PublishedPost {
  platformPostId: string;
  url: string;
  publishedAt: string;
}
export interface Connector {
  readonly platform: Platform;
  publish(account: ConnectedAccount, secret: ConnectionSecret, post: PostToPublish): Promise<PublishedPost>;
  findByMarker(account: ConnectedAccount, secret: ConnectionSecret, marker: string, since: string): Promise<PublishedPost | undefined>;
  fetchMetrics(account: ConnectedAccount, secret: ConnectionSecret, platformPostIds: string[]): Promise<Map<string, PostMetrics>>;
  fetchFollowerCount(account: ConnectedAccount, secret: ConnectionSecret): Promise<number>;
  /** Returns a fresh secret, or throws ConnectorError('reauth_required'). Session-based platforms refresh their session here. */
  refresh(account: ConnectedAccount, secret: ConnectionSecret): Promise<ConnectionSecret>;
  revoke(account: ConnectedAccount, secret: ConnectionSecret): Promise<void>;
}
export type ConnectorFailure = 'rate_limited' | 'reauth_required' | 'refused' | 'outcome_unknown' | 'unavailable';
export class ConnectorError extends Error {
  constructor(
    readonly failure: ConnectorFailure,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
