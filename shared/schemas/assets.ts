import * as z from './zod';
import { JOB_ID_PATTERN, multiLineText, singleLineText } from './common';
import { assetTypes, assetPurposes, assetStatuses, rejectionReasons } from './vocabulary';

export const assetIdSchema = z.withMeta(z.string().check(z.regex(JOB_ID_PATTERN)), { description: 'Asset id (ULID)' });
export const assetTypeSchema = z.withMeta(z.enum(assetTypes), { id: 'AssetType' });

export const createAssetSchema = z.withMeta(
  z.strictObject({
    type: assetTypeSchema,
    size: z.withMeta(z.number().check(z.int(), z.gte(1)), {
      description: 'Size in bytes of the file to upload; the upload may not exceed it (nor the type’s cap)',
    }),
    name: z.optional(singleLineText().check(z.trim(), z.minLength(1), z.maxLength(200))),
    description: z.withMeta(z.optional(multiLineText().check(z.trim(), z.minLength(1), z.maxLength(500))), {
      description: 'What the asset shows; the writer and thumbnail agents receive it',
    }),
    purpose: z.optional(z.enum(assetPurposes)),
  }),
  { id: 'CreateAsset' },
);
export type CreateAsset = z.infer<typeof createAssetSchema>;

export const assetSchema = z.withMeta(
  z.object({
    assetId: assetIdSchema,
    status: z.enum(assetStatuses),
    type: assetTypeSchema,
    declaredSize: z.number().check(z.int()),
    size: z.withMeta(z.optional(z.number().check(z.int())), { description: 'Bytes actually received (ready assets)' }),
    width: z.optional(z.number().check(z.int())),
    height: z.optional(z.number().check(z.int())),
    name: z.optional(z.string()),
    description: z.optional(z.string()),
    purpose: z.optional(z.enum(assetPurposes)),
    rejectionReason: z.optional(z.enum(rejectionReasons)),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    url: z.withMeta(z.optional(z.string()), { description: 'Presigned GET of the object (ready assets, 15 min)' }),
  }),
  { id: 'Asset' },
);
export type Asset = z.infer<typeof assetSchema>;

export const assetUploadSchema = z.withMeta(
  z.object({
    asset: assetSchema,
    upload: z.object({
      url: z.withMeta(z.string(), { description: 'POST a multipart/form-data form here' }),
      fields: z.withMeta(z.record(z.string(), z.string()), { description: 'Every field, in this order, before the `file` field' }),
      expiresAt: z.iso.datetime(),
    }),
  }),
  { id: 'AssetUpload' },
);

/** What a campaign keeps of each brand asset (frozen at start) and the writer receives as data. */
export const brandAssetNoteSchema = z.pick(assetSchema, { assetId: true, type: true, purpose: true, name: true, description: true });
export type BrandAssetNote = z.infer<typeof brandAssetNoteSchema>;

export const assetPathSchema = z.strictObject({ id: assetIdSchema });

export const listAssetsQuerySchema = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  type: z.withMeta(z.optional(assetTypeSchema), {
    description: 'Only assets of this type (a page may then hold fewer than `limit`; follow nextCursor)',
  }),
});
