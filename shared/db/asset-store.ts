import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Dimensions } from '../domain/assets';
import type { Asset } from '../schemas/assets';
import type { AssetType, RejectionReason } from '../schemas/vocabulary';
import { DomainError } from '../core/errors';
import { dynamo } from './client';
import { conditionalWrite } from './put-once';
import { withoutKeys } from './expressions';
import { keys } from './keys';
import { queryUserPage } from './user-page';

/** Asset items: `PK USER#<uid>, SK ASSET#<assetId>` (see keys.ts); `objectKey` is where its object is. */
export type StoredAsset = Omit<Asset, 'url'> & { objectKey: string };

export const assetNotFound = (assetId: string) => new DomainError('ASSET_NOT_FOUND', `No asset ${assetId}`);

export async function putPendingAsset(table: string, userId: string, asset: StoredAsset): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.asset(userId, asset.assetId), ...asset },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function findAsset(table: string, userId: string, assetId: string): Promise<StoredAsset | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table, Key: keys.asset(userId, assetId), ConsistentRead: true }));
  return Item && (withoutKeys(Item) as unknown as StoredAsset);
}

export async function getAsset(table: string, userId: string, assetId: string): Promise<StoredAsset> {
  const asset = await findAsset(table, userId, assetId);
  if (!asset) throw assetNotFound(assetId);
  return asset;
}

/** The creator's assets among `assetIds` (at most 100: one BatchGetItem, unprocessed keys asked again). */
export async function assetsByIds(table: string, userId: string, assetIds: readonly string[]): Promise<StoredAsset[]> {
  const found: StoredAsset[] = [];
  let pending: Record<string, unknown>[] | undefined = assetIds.map((assetId) => keys.asset(userId, assetId));
  while (pending?.length) {
    const {
      Responses,
      UnprocessedKeys,
    }: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } =
      await dynamo.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(Responses?.[table] ?? []).map((item) => withoutKeys(item) as unknown as StoredAsset));
    pending = UnprocessedKeys?.[table]?.Keys;
  }
  return found;
}

/** The caller's assets, newest first (ULID ids); `type` filters after the read, so a page may be short. */
export async function listAssets(table: string, userId: string, options: { limit: number; cursor?: string; type?: AssetType }) {
  const filter = options.type ? { expression: '#type = :type', names: { '#type': 'type' }, values: { ':type': options.type } } : undefined;
  const page = await queryUserPage(table, userId, keys.assetSkPrefix, { ...options, filter });
  return { assets: page.items.map((item) => withoutKeys(item) as unknown as StoredAsset), nextCursor: page.nextCursor };
}

/**
 * Records the outcome of the upload check, only on a pending asset: false when the asset is gone
 * (deleted meanwhile) or was decided already, which makes a redelivered event a no-op.
 */
export async function settleAsset(
  table: string,
  userId: string,
  assetId: string,
  outcome: { status: 'ready'; objectKey: string; size: number; dimensions?: Dimensions } | { status: 'rejected'; reason: RejectionReason },
  now: string,
): Promise<boolean> {
  const values: Record<string, unknown> =
    outcome.status === 'ready'
      ? {
          objectKey: outcome.objectKey,
          size: outcome.size,
          ...(outcome.dimensions && { width: outcome.dimensions.width, height: outcome.dimensions.height }),
        }
      : { rejectionReason: outcome.reason };
  const names = Object.keys(values);
  return conditionalWrite(
    new UpdateCommand({
      TableName: table,
      Key: keys.asset(userId, assetId),
      UpdateExpression: `SET #status = :status, updatedAt = :now, ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((name) => [`#${name}`, name])) },
      ExpressionAttributeValues: {
        ':status': outcome.status,
        ':now': now,
        ':pending': 'pending',
        ...Object.fromEntries(names.map((name) => [`:${name}`, values[name]])),
      },
    }),
  );
}

/** Deletes the item; returns what it was (its object is the caller's to delete), 404 when there was none. */
export async function deleteAssetItem(table: string, userId: string, assetId: string): Promise<StoredAsset> {
  const { Attributes } = await dynamo.send(
    new DeleteCommand({ TableName: table, Key: keys.asset(userId, assetId), ReturnValues: 'ALL_OLD' }),
  );
  if (!Attributes) throw assetNotFound(assetId);
  return withoutKeys(Attributes) as unknown as StoredAsset;
}
