import { assetPathSchema, assetSchema, assetUploadSchema, createAssetSchema, listAssetsQuerySchema } from '../../schemas/assets';
import * as z from '../../schemas/zod';
import type { RouteDef } from './route';

/** Brand assets: upload, list, read, delete. */
export const assetRoutes = [
  {
    id: 'CreateAsset',
    method: 'POST',
    path: '/assets',
    entry: 'functions/api/asset-create.ts',
    auth: 'jwt',
    summary: 'Records a pending asset and returns a presigned POST form (5 min) for its upload; the object is checked when it arrives',
    tag: 'assets',
    request: { body: createAssetSchema },
    response: { status: 201, data: assetUploadSchema },
    errors: ['ASSET_TOO_LARGE'],
    access: { table: 'readwrite', bucket: 'none', signUploads: true },
  },
  {
    id: 'ListAssets',
    method: 'GET',
    path: '/assets',
    entry: 'functions/api/asset-list.ts',
    auth: 'jwt',
    summary: "The caller's assets, newest first, cursor-paginated, optionally of one type",
    tag: 'assets',
    request: { query: listAssetsQuerySchema },
    response: { status: 200, data: z.array(assetSchema) },
    errors: ['INVALID_CURSOR'],
    access: { table: 'read', bucket: 'none' },
  },
  {
    id: 'GetAsset',
    method: 'GET',
    path: '/assets/{id}',
    entry: 'functions/api/asset-get.ts',
    auth: 'jwt',
    summary: 'One asset: its status (pending, ready, rejected with a reason) and, when ready, a presigned GET (15 min)',
    tag: 'assets',
    request: { params: assetPathSchema },
    response: { status: 200, data: assetSchema },
    errors: ['ASSET_NOT_FOUND'],
    access: { table: 'read', bucket: 'read' },
  },
  {
    id: 'DeleteAsset',
    method: 'DELETE',
    path: '/assets/{id}',
    entry: 'functions/api/asset-delete.ts',
    auth: 'jwt',
    summary: 'Deletes an asset and its object',
    tag: 'assets',
    request: { params: assetPathSchema },
    response: { status: 204 },
    errors: ['ASSET_NOT_FOUND'],
    access: { table: 'readwrite', bucket: 'readwrite' },
  },
] as const satisfies readonly RouteDef[];
