import { contentEditFields, contentItemSchema, type ContentItem, type ContentPatch } from '../schemas/content';

/** A content item as stored: everything the API shows except the presigned thumbnail URL. */
export type ContentRecord = Omit<ContentItem, 'thumbnailUrl'>;
type ContentRevision = ContentItem['revisions'][number];
type EditableField = keyof typeof contentEditFields;

export const MAX_REVISIONS = 5;

const editableFields = Object.keys(contentEditFields) as EditableField[];
const storedFields = Object.keys(contentItemSchema.shape).filter((field) => field !== 'thumbnailUrl') as (keyof ContentRecord)[];

function pickDefined<T extends object, K extends keyof T>(source: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]])) as Pick<T, K>;
}

/**
 * The attributes a patch changes on a stored item. An edit keeps the previous editable values as
 * a revision (the version they had and when it was written), newest first, at most
 * MAX_REVISIONS; an approval-only patch keeps no revision. Every patch bumps the version.
 */
export function contentChanges(item: ContentRecord, patch: ContentPatch, now: string): Partial<ContentRecord> {
  const edits = pickDefined(patch, editableFields);
  const edited = Object.keys(edits).length > 0;
  const previous: ContentRevision = { version: item.version, at: item.updatedAt, ...pickDefined(item, editableFields) };
  return {
    ...edits,
    ...(edited && { revisions: [previous, ...item.revisions].slice(0, MAX_REVISIONS) }),
    ...(patch.approval && { approval: { ...patch.approval, at: now } }),
    version: item.version + 1,
    updatedAt: now,
  };
}

/**
 * The item as the API shows it: only the schema's fields (the workflow's bookkeeping stays
 * inside) and, when there is a thumbnail, a freshly presigned URL for it.
 */
export async function contentView(record: ContentRecord, presign: (key: string) => Promise<string>): Promise<ContentItem> {
  const view: ContentItem = pickDefined(record, storedFields);
  return view.thumbnailKey ? { ...view, thumbnailUrl: await presign(view.thumbnailKey) } : view;
}
