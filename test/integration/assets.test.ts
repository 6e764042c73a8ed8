import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../shared/media/png';
import { startFixtures, type Api, type Fixtures, type TestStack } from '../support/fixtures';
import { pollUntil } from '../support/poll';

let fixtures: Fixtures;
let stack: TestStack;
let api: Api;
let bucket: S3Client;
let alice: string;
let bob: string;
let carol: string;

const png = encodePng(48, 27, new Uint8Array(48 * 27 * 3).fill(90));
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  fixtures = await startFixtures();
  ({ stack, api } = fixtures);
  [alice, bob, carol] = await Promise.all([fixtures.token('alice'), fixtures.token('bob'), fixtures.token('carol')]);
  // Straight to s3rver, not through the handlers' client: what is really in the bucket.
  bucket = new S3Client({
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
});

/** Requests an upload, then sends the file with the presigned POST form, as a browser would. */
async function upload(token: string, declared: { type: string; size: number; description?: string }, bytes: Uint8Array) {
  const created = await api('POST', '/assets', { token, body: declared });
  expect(created.status).toBe(201);
  const { asset, upload: form } = created.body.data;
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields as Record<string, string>)) body.append(name, value);
  body.append('file', new Blob([new Uint8Array(bytes)], { type: declared.type }), 'upload.png');
  const sent = await fetch(form.url, { method: 'POST', body });
  expect(sent.status).toBe(204);
  return { assetId: asset.assetId as string, uploadKey: form.fields.key as string };
}

const settled = (token: string, assetId: string) =>
  pollUntil(
    () => api('GET', `/assets/${assetId}`, { token }),
    (res) => res.body.data?.status !== 'pending',
    `asset ${assetId} to be checked`,
    20_000,
  );

const keysUnder = async (prefix: string) =>
  ((await bucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }))).Contents ?? []).map((o) => o.Key);

describe('assets on the local stack', () => {
  let pngId: string;

  it('a real PNG uploaded with the presigned POST form becomes a ready asset with its dimensions, moved out of uploads/', async () => {
    const { assetId, uploadKey } = await upload(alice, { type: 'image/png', size: png.length, description: 'Teal logo' }, png);
    pngId = assetId;
    const ready = (await settled(alice, assetId)).body.data;
    expect(ready).toMatchObject({
      assetId,
      status: 'ready',
      type: 'image/png',
      size: png.length,
      width: 48,
      height: 27,
      description: 'Teal logo',
    });
    const download = await fetch(ready.url);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
    expect(await keysUnder(uploadKey)).toEqual([]);
    expect(await keysUnder(`users/alice/assets/${assetId}`)).toEqual([`users/alice/assets/${assetId}`]);
  });

  it('a PDF declared as PNG is rejected with its reason and its object is gone from the bucket', async () => {
    const { assetId, uploadKey } = await upload(alice, { type: 'image/png', size: pdf.length }, pdf);
    const rejected = (await settled(alice, assetId)).body.data;
    expect(rejected).toMatchObject({ assetId, status: 'rejected', rejectionReason: 'type_mismatch' });
    expect(rejected.url).toBeUndefined();
    await expect(bucket.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: uploadKey }))).rejects.toMatchObject({
      name: 'NotFound',
    });
    expect(await keysUnder(`users/alice/assets/${assetId}`)).toEqual([]);
  });

  it('an upload larger than declared is rejected although s3rver ignored the policy', async () => {
    const { assetId } = await upload(alice, { type: 'image/png', size: png.length - 10 }, png);
    expect((await settled(alice, assetId)).body.data).toMatchObject({ status: 'rejected', rejectionReason: 'too_large' });
  });

  it('lists newest first with a cursor and a type filter', async () => {
    const all = await api('GET', '/assets', { token: alice });
    expect(all.body.data.map((a: { status: string }) => a.status)).toEqual(['rejected', 'rejected', 'ready']);
    const first = await api('GET', '/assets?limit=1', { token: alice });
    expect(first.body.data).toHaveLength(1);
    const second = await api('GET', `/assets?limit=2&cursor=${first.body.meta.nextCursor}`, { token: alice });
    expect(second.body.data.at(-1).assetId).toBe(pngId);
    expect((await api('GET', '/assets?type=application/pdf', { token: alice })).body.data).toEqual([]);
    expect((await api('GET', `/assets?cursor=${first.body.meta.nextCursor}`, { token: bob })).body.error.code).toBe('INVALID_CURSOR');
  });

  it('another creator can neither read nor delete it (404), and sees none in their list', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await api(method, `/assets/${pngId}`, { token: bob });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('ASSET_NOT_FOUND');
    }
    expect((await api('GET', '/assets', { token: bob })).body.data).toEqual([]);
    expect(await keysUnder(`users/alice/assets/${pngId}`)).toHaveLength(1);
  });

  it("a campaign's brand assets must be the creator's ready assets (422 ASSET_NOT_READY naming the others)", async () => {
    const campaignId = (await api('POST', '/campaigns', { token: alice, body: {} })).body.data.campaignId;
    const [newest] = (await api('GET', '/assets?limit=1', { token: alice })).body.data;
    expect(newest.status).toBe('rejected');
    const refused = await api('PATCH', `/campaigns/${campaignId}/onboarding`, {
      token: alice,
      body: { brandAssets: [pngId, newest.assetId] },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'ASSET_NOT_READY', details: { assetIds: [newest.assetId] } });
    const bobsCampaign = (await api('POST', '/campaigns', { token: bob, body: {} })).body.data.campaignId;
    expect(
      (await api('PATCH', `/campaigns/${bobsCampaign}/onboarding`, { token: bob, body: { brandAssets: [pngId] } })).body.error.code,
    ).toBe('ASSET_NOT_READY');
    const accepted = await api('PATCH', `/campaigns/${campaignId}/onboarding`, { token: alice, body: { brandAssets: [pngId] } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.brandAssets).toEqual([pngId]);
  });

  it('deleting removes the item and the object', async () => {
    expect((await api('DELETE', `/assets/${pngId}`, { token: alice })).status).toBe(204);
    expect((await api('GET', `/assets/${pngId}`, { token: alice })).status).toBe(404);
    expect(await keysUnder(`users/alice/assets/${pngId}`)).toEqual([]);
  });
});

describe('the content scan of every byte of an upload', () => {
  // Noise compresses badly: a PNG of a few hundred KB, which s3rver streams in many chunks.
  const noise = encodePng(
    300,
    200,
    Uint8Array.from({ length: 300 * 200 * 3 }, (_, i) => (i * 2654435761) >>> 24),
  );
  const textChunk = (text: string) => {
    const data = Buffer.from(text, 'latin1');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(data.length);
    header.write('tEXt', 4, 'latin1');
    return Buffer.concat([header, data, Buffer.alloc(4)]);
  };
  const zip = Buffer.concat([
    Buffer.from('PK\x03\x04\x14\x00\x00\x00\x00\x00', 'latin1'),
    Buffer.alloc(20),
    Buffer.from('PK\x05\x06\x00\x00\x00\x00', 'latin1'),
    Buffer.alloc(14),
  ]);
  const hostile: [string, string, Uint8Array, string[]][] = [
    [
      'a PNG with HTML after byte 1024',
      'image/png',
      Buffer.concat([
        noise.subarray(0, 33),
        textChunk(`Comment${' '.repeat(1100)}<html><script>alert(document.cookie)</script></html>`),
        noise.subarray(33),
      ]),
      ['polyglot'],
    ],
    ['a PNG with a ZIP appended', 'image/png', Buffer.concat([noise, zip]), ['polyglot', 'trailing_data']],
    [
      'a PDF with JavaScript',
      'application/pdf',
      Buffer.from(
        '%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n2 0 obj << /S /J#61vaScript /JS (app.alert(1)) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
        'latin1',
      ),
      ['active_content'],
    ],
  ];

  it.each(hostile)('rejects %s, its object deleted', async (_name, type, bytes, reasons) => {
    const { assetId, uploadKey } = await upload(carol, { type, size: bytes.length }, bytes);
    const rejected = (await settled(carol, assetId)).body.data;
    expect(rejected.status).toBe('rejected');
    expect(reasons).toContain(rejected.rejectionReason);
    expect(await keysUnder(uploadKey)).toEqual([]);
    expect(await keysUnder(`users/carol/assets/${assetId}`)).toEqual([]);
  });

  it.each([
    ['a clean PNG of several chunks', 'image/png', noise],
    ['a clean PDF', 'application/pdf', pdf],
  ] as const)('still makes %s ready', async (_name, type, bytes) => {
    const { assetId } = await upload(carol, { type, size: bytes.length }, bytes);
    expect((await settled(carol, assetId)).body.data).toMatchObject({ status: 'ready', size: bytes.length });
  });
});
