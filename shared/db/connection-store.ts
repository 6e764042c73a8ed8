import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Sealed } from '../crypto/envelope-encryption';
import type { ConnectionStatus } from '../schemas/vocabulary';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { followersIndexKeys } from './platform-import-store';

/**
 * A creator's connection to one platform (`USER#<uid>` / `CONN#<platform>`): the account, its
 * status and the sealed tokens (shared/crypto/envelope-encryption.ts, like the creator's Gemini
 * key). Only the connector calls of shared/app/connections.ts read `sealed`; every other reader
 * gets the view without it. `secretVersion` counts the secrets stored, so two refreshes racing keep one.
 */
export interface ConnectionRecord {
  platform: string;
  accountId: string;
  handle: string;
  scopes: string[];
  status: ConnectionStatus;
  /** When the access token expires (absent: it does not). */
  tokenExpiresAt?: string;
  lastError?: { message: string; at: string };
  connectedAt: string;
  updatedAt: string;
  secretVersion: number;
  sealed: Sealed;
}

export type ConnectionView = Omit<ConnectionRecord, 'sealed' | 'secretVersion'>;

export const connectionView = ({ sealed: _sealed, secretVersion: _version, ...view }: ConnectionRecord): ConnectionView => view;

/** An item as the GDPR export shows it: a connection item without its sealed tokens. */
export function withoutSealedTokens(item: Record<string, unknown>): Record<string, unknown> {
  if (typeof item.SK !== 'string' || !item.SK.startsWith(keys.connectionSkPrefix)) return item;
  const { sealed: _sealed, ...rest } = item;
  return rest;
}

export async function readConnection(table: string, userId: string, platform: string): Promise<ConnectionRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.connection(userId, platform), ConsistentRead: true }));
  return Item ? (withoutKeys(Item) as unknown as ConnectionRecord) : undefined;
}

export async function listConnections(table: string, userId: string): Promise<ConnectionRecord[]> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.userPk(userId), ':prefix': keys.connectionSkPrefix },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => withoutKeys(item) as unknown as ConnectionRecord);
}

/** Stores a new connection, replacing an earlier one of the same platform (a reconnect); its follower count is read at the next import. */
export async function putConnection(table: string, userId: string, record: ConnectionRecord): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.connection(userId, record.platform), ...followersIndexKeys(userId, record.platform, record.connectedAt), ...record },
    }),
  );
}

/**
 * Stores refreshed tokens if nobody stored others since `readVersion`; false when another refresh
 * came first (its tokens are the ones to use).
 */
export async function replaceSecret(
  table: string,
  userId: string,
  platform: string,
  readVersion: number,
  update: { sealed: Sealed; tokenExpiresAt?: string; now: string },
): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.connection(userId, platform),
      UpdateExpression: `SET sealed = :sealed, secretVersion = :next, updatedAt = :now, #status = :active${
        update.tokenExpiresAt ? ', tokenExpiresAt = :exp' : ' REMOVE tokenExpiresAt'
      }`,
      ConditionExpression: 'secretVersion = :read',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':sealed': update.sealed,
        ':next': readVersion + 1,
        ':read': readVersion,
        ':now': update.now,
        ':active': 'active' satisfies ConnectionStatus,
        ...(update.tokenExpiresAt && { ':exp': update.tokenExpiresAt }),
      },
    }),
  );
}

/** Marks the connection `needs_reauth` with the reason; true only for the call that changed it (so one notification). */
export async function markNeedsReauth(table: string, userId: string, platform: string, message: string, now: string): Promise<boolean> {
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.connection(userId, platform),
      UpdateExpression: 'SET #status = :reauth, lastError = :error, updatedAt = :now',
      ConditionExpression: 'attribute_exists(PK) AND #status <> :reauth',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':reauth': 'needs_reauth' satisfies ConnectionStatus, ':error': { message, at: now }, ':now': now },
    }),
  );
}

/** Records a platform error on the connection (GET /connections shows the last one). */
export async function noteConnectionError(table: string, userId: string, platform: string, message: string, now: string): Promise<void> {
  await conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.connection(userId, platform),
      UpdateExpression: 'SET lastError = :error',
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':error': { message, at: now } },
    }),
  );
}

/** Removes the connection and returns it as it was (its tokens, to revoke), or undefined if there was none. */
export async function deleteConnection(table: string, userId: string, platform: string): Promise<ConnectionRecord | undefined> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({ TableName: table, Key: keys.connection(userId, platform), ReturnValues: 'ALL_OLD' }),
  );
  return Attributes ? (withoutKeys(Attributes) as unknown as ConnectionRecord) : undefined;
}

/** A pending OAuth start: bound to the creator and platform, single-use, gone after `expiresAt` (epoch seconds; the table's TTL). */
export interface OAuthState {
  userId: string;
  platform: string;
  verifier: string;
  redirectUri: string;
  expiresAt: number;
}

export async function putOAuthState(table: string, state: string, record: OAuthState): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: table, Item: { ...keys.oauthState(state), ...record }, ConditionExpression: 'attribute_not_exists(PK)' }),
  );
}

/** Takes the state (deletes it, returning what it held): a second callback with the same state finds nothing. */
export async function takeOAuthState(table: string, state: string): Promise<OAuthState | undefined> {
  const { Attributes } = await dynamo.send(new DeleteCommand({ TableName: table, Key: keys.oauthState(state), ReturnValues: 'ALL_OLD' }));
  return Attributes ? (withoutKeys(Attributes) as unknown as OAuthState) : undefined;
}
