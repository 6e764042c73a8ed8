import * as z from 'zod';
import { JOB_ID_PATTERN, multiLineText, singleLineText } from './common';
import { assetTypes, assetPurposes, assetStatuses, rejectionReasons } from './vocabulary';

export const assetIdSchema = z.string().regex(JOB_ID_PATTERN).meta({ description: 'Asset id (ULID)' });
export const assetTypeSchema = z.enum(assetTypes).meta({ id: 'AssetType' });

export const createAssetSchema = z
  .strictObject({
    type: assetTypeSchema,
    size: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'Size in bytes of the file to upload; the upload may not exceed it (nor the type’s cap)' }),
    name: singleLineText().trim().min(1).max(200).optional(),
    description: multiLineText()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'What the asset shows; the writer and thumbnail agents receive it' }),
    purpose: z.enum(assetPurposes).optional(),
  })
  .meta({ id: 'CreateAsset' });
export type CreateAsset = z.infer<typeof createAssetSchema>;

export const assetSchema = z
  .object({
    assetId: assetIdSchema,
    status: z.enum(assetStatuses),
    type: assetTypeSchema,
    declaredSize: z.number().int(),
    size: z.number().int().optional().meta({ description: 'Bytes actually received (ready assets)' }),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    purpose: z.enum(assetPurposes).optional(),
    rejectionReason: z.enum(rejectionReasons).optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    url: z.string().optional().meta({ description: 'Presigned GET of the object (ready assets, 15 min)' }),
  })
  .meta({ id: 'Asset' });
export type Asset = z.infer<typeof assetSchema>;

export const assetUploadSchema = z
  .object({
    asset: assetSchema,
    upload: z.object({
      url: z.string().meta({ description: 'POST a multipart/form-data form here' }),
      fields: z.record(z.string(), z.string()).meta({ description: 'Every field, in this order, before the `file` field' }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'AssetUpload' });

/** What a campaign keeps of each brand asset (frozen at start) and the writer receives as data. */
export const brandAssetNoteSchema = assetSchema.pick({ assetId: true, type: true, purpose: true, name: true, description: true });
export type BrandAssetNote = z.infer<typeof brandAssetNoteSchema>;

export const assetPathSchema = z.strictObject({ id: assetIdSchema });

export const listAssetsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
  type: assetTypeSchema
    .optional()
    .meta({ description: 'Only assets of this type (a page may then hold fewer than `limit`; follow nextCursor)' }),
});
