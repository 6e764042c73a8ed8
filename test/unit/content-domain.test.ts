import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentChanges, contentView, MAX_REVISIONS, type ContentRecord } from '../../shared/domain/content';
import type { ContentPatch } from '../../shared/schemas/content';

const written = '2026-03-01T08:00:00.000Z';
const now = '2026-03-02T09:30:00.000Z';

const item: ContentRecord = {
  campaignId: '3f2a9c4e-8b1d-4e7a-9c55-2d6f0b1e7a10',
  day: 3,
  platform: 'youtube',
  date: '2026-03-03',
  localTime: '18:00',
  dueAt: '2026-03-03T17:00:00.000Z',
  format: 'short video',
  topic: 'budgeting',
  title: 'Budget in 5 minutes',
  script: { hook: 'Broke again?', body: 'Three envelopes.', cta: 'Follow for more' },
  post: 'Budgeting for students',
  seoTags: ['budget'],
  approval: { state: 'pending' },
  version: 1,
  revisions: [],
  updatedAt: written,
};

const apply = (record: ContentRecord, patch: ContentPatch, at = now): ContentRecord => ({
  ...record,
  ...contentChanges(record, patch, at),
});

describe('contentChanges', () => {
  it('an edit sets the fields and keeps the previous editable values as a revision', () => {
    const changes = contentChanges(item, { title: 'Budget in 3 minutes', cta: 'Subscribe' }, now);
    expect(changes).toEqual({
      title: 'Budget in 3 minutes',
      cta: 'Subscribe',
      revisions: [{ version: 1, at: written, title: item.title, script: item.script, post: item.post, seoTags: item.seoTags }],
      version: 2,
      updatedAt: now,
    });
  });

  it('an approval-only patch records the approval without a revision', () => {
    expect(contentChanges(item, { approval: { state: 'approved' } }, now)).toEqual({
      approval: { state: 'approved', at: now },
      version: 2,
      updatedAt: now,
    });
  });

  it('a rejection keeps its reason; a later approval replaces it', () => {
    const rejected = apply(item, { approval: { state: 'rejected', reason: 'too long' } });
    expect(rejected.approval).toEqual({ state: 'rejected', reason: 'too long', at: now });
    expect(apply(rejected, { approval: { state: 'approved' } }).approval).toEqual({ state: 'approved', at: now });
  });

  it('an edit with an approval does both in one version', () => {
    const next = apply(item, { post: 'New post', approval: { state: 'approved' } });
    expect(next).toMatchObject({ post: 'New post', approval: { state: 'approved', at: now }, version: 2 });
    expect(next.revisions).toHaveLength(1);
  });

  it(`keeps the last ${MAX_REVISIONS} revisions, newest first`, () => {
    let record = item;
    for (let edit = 1; edit <= 7; edit++) record = apply(record, { title: `title ${edit}` }, `2026-03-02T10:0${edit}:00.000Z`);
    expect(record.version).toBe(8);
    expect(record.revisions.map((revision) => [revision.version, revision.title])).toEqual([
      [7, 'title 6'],
      [6, 'title 5'],
      [5, 'title 4'],
      [4, 'title 3'],
      [3, 'title 2'],
    ]);
    expect(record.revisions[0].at).toBe('2026-03-02T10:06:00.000Z');
  });

  const text = fc.string({ minLength: 1, maxLength: 12 });
  const patchArb: fc.Arbitrary<ContentPatch> = fc.record(
    {
      title: text,
      post: text,
      cta: text,
      seoTags: fc.array(text, { maxLength: 3 }),
      script: fc.record({ hook: text, body: text, cta: text }),
      approval: fc.oneof(fc.constant({ state: 'approved' as const }), fc.record({ state: fc.constant('rejected' as const), reason: text })),
    },
    { requiredKeys: [] },
  );

  it(`property: revisions never exceed ${MAX_REVISIONS}, are newest first, and only edits create them`, () => {
    fc.assert(
      fc.property(fc.array(patchArb, { maxLength: 20 }), (patches) => {
        const record = patches.reduce((current, patch) => apply(current, patch), item);
        const edits = patches.filter((patch) => Object.keys(patch).some((field) => field !== 'approval')).length;
        const versions = record.revisions.map((revision) => revision.version);
        expect(record.version).toBe(1 + patches.length);
        expect(record.revisions).toHaveLength(Math.min(MAX_REVISIONS, edits));
        expect(versions).toEqual([...versions].sort((a, b) => b - a));
        expect(new Set(versions).size).toBe(versions.length);
        expect(versions.every((version) => version < record.version)).toBe(true);
      }),
    );
  });
});

describe('contentView', () => {
  const presign = async (key: string) => `https://media.example.com/${key}?signed`;

  it('shows the schema fields only, with a presigned URL when there is a thumbnail', async () => {
    const stored = { ...item, thumbnailKey: 'users/u/campaigns/c/day-03-youtube.png', userId: 'u', dueShard: 4 };
    const view = await contentView(stored, presign);
    expect(view.thumbnailUrl).toBe('https://media.example.com/users/u/campaigns/c/day-03-youtube.png?signed');
    expect(view).not.toHaveProperty('userId');
    expect(view).not.toHaveProperty('dueShard');
  });

  it('never passes on a stored URL and has none without a thumbnail', async () => {
    const view = await contentView({ ...item, thumbnailUrl: 'https://stale.example.com/x' } as ContentRecord, presign);
    expect(view).not.toHaveProperty('thumbnailUrl');
  });
});
