import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { processUpload } from '../../shared/app/asset-objects';
import fc from 'fast-check';
import { createContentScanner } from '../../shared/domain/asset-scan';
import { checkUpload, detectType, readDimensions, SIZE_CAPS } from '../../shared/domain/assets';
import type { AssetType } from '../../shared/schemas/vocabulary';
import { mediaPrefix, parseUploadKey } from '../../shared/db/keys';
import { encodePng } from '../../shared/media/png';
import { handler as createAsset } from '../../functions/api/asset-create';
import { apiEvent, call } from '../support/api-event';

const png = (width: number, height: number) => encodePng(width, height, new Uint8Array(width * height * 3).fill(200));
const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// A 320×240 GIF: screen descriptor without colour table, one image (descriptor, LZW size, one data sub-block), trailer.
const gif = Buffer.concat([
  Buffer.from('GIF89a'),
  Buffer.from([0x40, 0x01, 0xf0, 0x00, 0, 0, 0, 0x2c, 0, 0, 0, 0, 0x40, 0x01, 0xf0, 0x00, 0, 2, 2, 0x4c, 0x01, 0, 0x3b]),
]);
// A baseline JPEG header: SOI, an APP0 (JFIF) segment, then SOF0 with height 480 and width 640.
const jpeg = Buffer.from([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  ...Buffer.from('JFIF\0'),
  1,
  1,
  0,
  0,
  1,
  0,
  1,
  0,
  0,
  0xff,
  0xc0,
  0x00,
  0x11,
  0x08,
  0x01,
  0xe0,
  0x02,
  0x80,
  3,
  1,
  0x22,
  0,
  2,
  0x11,
  1,
  3,
  0x11,
  1,
  0xff,
  0xd9,
]);
const webpLossless = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([22, 0, 0, 0]),
  Buffer.from('WEBPVP8L'),
  Buffer.from([10, 0, 0, 0, 0x2f]),
  // width-1 = 99, height-1 = 49 in two 14-bit fields
  Buffer.from(new Uint32Array([99 | (49 << 14)]).buffer),
  Buffer.alloc(5),
]);
const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]);

const declared = (type: AssetType, size: number) => ({ type, size });

describe('the upload checker (magic bytes, size, structure)', () => {
  it.each([
    ['image/png', png(3, 2), { width: 3, height: 2 }],
    ['image/gif', gif, { width: 320, height: 240 }],
    ['image/jpeg', jpeg, { width: 640, height: 480 }],
    ['image/webp', webpLossless, { width: 100, height: 50 }],
  ] as const)('accepts a real %s with its dimensions from the header', (type, bytes, dimensions) => {
    expect(checkUpload(declared(type, bytes.length), bytes.length, bytes)).toEqual({
      accepted: true,
      type,
      size: bytes.length,
      dimensions,
    });
  });

  it('accepts MP4 and PDF by their signatures, without dimensions', () => {
    expect(checkUpload(declared('video/mp4', mp4.length), mp4.length, mp4)).toEqual({
      accepted: true,
      type: 'video/mp4',
      size: mp4.length,
    });
    expect(checkUpload(declared('application/pdf', pdf.length), pdf.length, pdf)).toEqual({
      accepted: true,
      type: 'application/pdf',
      size: pdf.length,
    });
  });

  it('rejects a PDF declared as PNG (a renamed .png), naming what it is', () => {
    expect(checkUpload(declared('image/png', 1000), pdf.length, pdf)).toEqual({
      accepted: false,
      reason: 'type_mismatch',
      detectedType: 'application/pdf',
    });
    expect(detectType(pdf)).toBe('application/pdf');
  });

  it('rejects a polyglot: a valid PNG header with a PDF (or HTML) where readers look for one', () => {
    const image = png(2, 2);
    const pngPdf = Buffer.concat([image.subarray(0, 33), pdf, image.subarray(33)]);
    expect(checkUpload(declared('image/png', pngPdf.length), pngPdf.length, pngPdf)).toEqual({ accepted: false, reason: 'polyglot' });
    const gifHtml = Buffer.concat([gif, Buffer.from('<script>alert(1)</script>')]);
    expect(checkUpload(declared('image/gif', gifHtml.length), gifHtml.length, gifHtml)).toEqual({ accepted: false, reason: 'polyglot' });
  });

  it('rejects a zero-byte file', () => {
    expect(checkUpload(declared('image/png', 10), 0, new Uint8Array(0))).toEqual({ accepted: false, reason: 'empty' });
  });

  it('rejects a file larger than declared or than its type allows, whatever the policy said', () => {
    const image = png(2, 2);
    expect(checkUpload(declared('image/png', image.length - 1), image.length, image)).toEqual({ accepted: false, reason: 'too_large' });
    expect(checkUpload(declared('image/png', SIZE_CAPS['image/png'] * 2), SIZE_CAPS['image/png'] + 1, image)).toEqual({
      accepted: false,
      reason: 'too_large',
    });
  });

  it('rejects a signature without a well-formed header (PNG whose first chunk is not IHDR, zero-sized GIF)', () => {
    const broken = Buffer.from(png(2, 2));
    broken.write('IDAT', 12, 'latin1');
    expect(checkUpload(declared('image/png', broken.length), broken.length, broken)).toEqual({ accepted: false, reason: 'malformed' });
    const flat = Buffer.from(gif);
    flat.writeUInt16LE(0, 6);
    expect(readDimensions(flat, 'image/gif')).toBeNull();
    expect(checkUpload(declared('image/gif', flat.length), flat.length, flat)).toEqual({ accepted: false, reason: 'malformed' });
  });

  it('rejects unknown bytes as a type mismatch without a detected type', () => {
    const text = Buffer.from('just some text');
    expect(checkUpload(declared('image/jpeg', 100), text.length, text)).toEqual({ accepted: false, reason: 'type_mismatch' });
  });

  it('parses only upload keys', () => {
    expect(parseUploadKey(mediaPrefix.upload('user_1', '01KMZ3Q0X8S7M2A4B5C6D7E8F9'))).toEqual({
      userId: 'user_1',
      assetId: '01KMZ3Q0X8S7M2A4B5C6D7E8F9',
    });
    expect(parseUploadKey(mediaPrefix.asset('user_1', '01KMZ3Q0X8S7M2A4B5C6D7E8F9'))).toBeUndefined();
  });
});

describe('processUpload with mocked AWS', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  const s3 = mockClient(S3Client);
  const config = { TABLE_NAME: 'table', MEDIA_BUCKET_NAME: 'bucket' };
  const assetId = '01KMZ3Q0X8S7M2A4B5C6D7E8F9';
  const key = mediaPrefix.upload('alice', assetId);
  const pending = {
    assetId,
    status: 'pending',
    type: 'image/png',
    declaredSize: 5000,
    objectKey: key,
    createdAt: '2026-11-23T00:00:00.000Z',
    updatedAt: '2026-11-23T00:00:00.000Z',
  };
  /** S3's streamed body, in chunks of 7 bytes. */
  const body = (bytes: Uint8Array) =>
    Readable.from(Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => Buffer.from(bytes.subarray(i * 7, i * 7 + 7))));

  beforeEach(() => {
    dynamo.reset();
    s3.reset();
  });

  it('an upload under another creator’s prefix (no such pending asset of that user) is deleted, nothing recorded', async () => {
    dynamo.on(GetCommand).resolves({});
    const outcome = await processUpload(config, mediaPrefix.upload('mallory', assetId));
    expect(outcome).toEqual({ outcome: 'discarded', key: mediaPrefix.upload('mallory', assetId) });
    expect(dynamo.commandCalls(GetCommand)[0].args[0].input.Key).toEqual({ PK: 'USER#mallory', SK: `ASSET#${assetId}` });
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([mediaPrefix.upload('mallory', assetId)]);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('streams the whole object through the scanner, moves an accepted PNG and records it ready with its size', async () => {
    const image = png(4, 3);
    dynamo.on(GetCommand).resolves({ Item: pending });
    s3.on(HeadObjectCommand).resolves({ ContentLength: image.length });
    s3.on(GetObjectCommand).resolves({ Body: body(image) as never });
    const outcome = await processUpload(config, key);
    expect(outcome).toEqual({ outcome: 'ready', assetId });
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input.Range).toBeUndefined();
    expect(s3.commandCalls(CopyObjectCommand)[0].args[0].input).toMatchObject({
      Key: mediaPrefix.asset('alice', assetId),
      CopySource: `bucket/${key}`,
      ContentType: 'image/png',
    });
    const update = dynamo.commandCalls(UpdateCommand)[0].args[0].input;
    expect(update.ConditionExpression).toBe('#status = :pending');
    expect(update.ExpressionAttributeValues).toMatchObject({ ':status': 'ready', ':size': image.length, ':width': 4, ':height': 3 });
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([key]);
  });

  it('rejects a PNG with a ZIP appended after IEND, its upload deleted', async () => {
    const image = Buffer.concat([png(4, 3), Buffer.from('PK\x03\x04\x14\x00\x00\x00payload')]);
    dynamo.on(GetCommand).resolves({ Item: pending });
    s3.on(HeadObjectCommand).resolves({ ContentLength: image.length });
    s3.on(GetObjectCommand).resolves({ Body: body(image) as never });
    expect(await processUpload(config, key)).toEqual({
      outcome: 'rejected',
      assetId,
      reason: expect.stringMatching(/^(polyglot|trailing_data)$/),
    });
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([key]);
  });

  it('refuses an object larger than declared on its size alone, without reading it', async () => {
    dynamo.on(GetCommand).resolves({ Item: pending });
    s3.on(HeadObjectCommand).resolves({ ContentLength: pending.declaredSize + 1 });
    expect(await processUpload(config, key)).toEqual({ outcome: 'rejected', assetId, reason: 'too_large' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('a redelivered event after the move finds the object gone and changes nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: pending });
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'gone', $metadata: {} }));
    expect(await processUpload(config, key)).toEqual({ outcome: 'gone', key });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
  });

  it('a settled asset’s upload delivered again is only cleaned up', async () => {
    dynamo.on(GetCommand).resolves({ Item: { ...pending, status: 'ready', objectKey: mediaPrefix.asset('alice', assetId) } });
    expect(await processUpload(config, key)).toEqual({ outcome: 'discarded', key });
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});

describe('POST /assets', () => {
  const dynamo = mockClient(DynamoDBDocumentClient);
  beforeEach(() => dynamo.reset());

  it('signs a POST policy: fixed key under uploads/<uid>/, exact Content-Type, 1..declared bytes, short expiry', async () => {
    dynamo.on(PutCommand).resolves({});
    const response = await call(
      createAsset,
      apiEvent({
        method: 'POST',
        path: '/assets',
        routeKey: 'POST /assets',
        userId: 'alice',
        body: { type: 'image/png', size: 5000, purpose: 'logo' },
      }),
    );
    expect(response.status).toBe(201);
    const { asset, upload } = response.body.data;
    expect(asset).toMatchObject({ status: 'pending', type: 'image/png', declaredSize: 5000, purpose: 'logo' });
    expect(upload.fields.key).toBe(`uploads/alice/${asset.assetId}`);
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 5000],
        { 'Content-Type': 'image/png' },
        { key: `uploads/alice/${asset.assetId}` },
      ]),
    );
    const lifetime = Date.parse(policy.expiration) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(5 * 60 * 1000);
    expect(dynamo.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({
      PK: 'USER#alice',
      SK: `ASSET#${asset.assetId}`,
      status: 'pending',
    });
  });

  it('refuses a declared size over the type’s cap before signing anything (413 ASSET_TOO_LARGE)', async () => {
    const response = await call(
      createAsset,
      apiEvent({
        method: 'POST',
        path: '/assets',
        routeKey: 'POST /assets',
        body: { type: 'image/gif', size: SIZE_CAPS['image/gif'] + 1 },
      }),
    );
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('ASSET_TOO_LARGE');
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });
});

/** Feeds `bytes` to a scanner in the pieces the cut points make (any chunking S3 might deliver). */
function scan(type: AssetType, bytes: Uint8Array, cuts: number[] = []) {
  const scanner = createContentScanner(type);
  const points = [...new Set([0, ...cuts.map((cut) => cut % (bytes.length + 1)), bytes.length])].sort((a, b) => a - b);
  for (let i = 1; i < points.length; i++) {
    const finding = scanner.push(bytes.subarray(points[i - 1], points[i]));
    if (finding) return finding;
  }
  return scanner.end();
}

const chunk = (type: string, data: Uint8Array) => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
};
/** A PNG with a tEXt chunk after IHDR: a place where anything can hide without breaking the PNG's framing. */
const pngWithText = (text: Uint8Array) => {
  const image = png(2, 2);
  return Buffer.concat([image.subarray(0, 33), chunk('tEXt', text), image.subarray(33)]);
};
const mp4WithFree = (data: Uint8Array) => {
  const box = Buffer.concat([Buffer.alloc(4), Buffer.from('free'), data]);
  box.writeUInt32BE(box.length);
  return Buffer.concat([mp4, box]);
};
const pdfWith = (body: string) =>
  Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Catalog ${body} >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
/** Filler that cannot form any signature: bytes ≥ 0x80 (every signature starts with an ASCII byte). */
const filler = fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => bytes.map((b) => b | 0x80));
const cuts = fc.array(fc.nat(), { maxLength: 12 });
const SIGNATURES = [
  '<html>',
  '<SCRIPT ',
  '<svg/',
  '<?php ',
  '<!DOCTYPE\n',
  '<iframe>',
  'PK\x03\x04\x14\x00',
  'PK\x05\x06\x00\x00',
  'Rar!\x1a\x07',
  '7z\xbc\xaf\x27\x1c',
  '%PDF-1',
].map((s) => Buffer.from(s, 'latin1'));

describe('the content scan (the whole object, chunk by chunk)', () => {
  const clean: [AssetType, Uint8Array][] = [
    ['image/png', png(40, 30)],
    ['image/gif', gif],
    ['image/jpeg', jpeg],
    ['image/jpeg', Buffer.concat([jpeg, jpeg])], // Multi-Picture Format: a preview JPEG after the first
    ['image/webp', webpLossless],
    ['video/mp4', mp4WithFree(new Uint8Array(5000).fill(0x90))],
    ['application/pdf', pdf],
    ['application/pdf', pdfWith('/Pages 2 0 R /JSON (x) /Names <<>> /AcroForm <</Fields []>>')],
  ];
  it.each(clean.map(([type, bytes], i) => [type, i, bytes] as const))(
    'passes a clean %s (#%i) however it is chunked',
    (type, _i, bytes) => {
      fc.assert(
        fc.property(cuts, (points) => {
          expect(scan(type, bytes, points)).toBeUndefined();
        }),
      );
    },
  );

  it('finds a markup or archive signature inserted at any offset of an image or a video, split across any chunk boundary', () => {
    fc.assert(
      fc.property(filler, filler, fc.constantFrom(...SIGNATURES), fc.boolean(), cuts, (before, after, signature, video, points) => {
        const hidden = Buffer.concat([before, signature, after]);
        const file = video ? mp4WithFree(hidden) : pngWithText(hidden);
        const at = (video ? mp4.length + 8 : 33 + 8) + before.length;
        const videoSkips = video && signature.toString('latin1') === '<svg/';
        expect(scan(video ? 'video/mp4' : 'image/png', file, points)).toEqual(
          videoSkips ? undefined : { reason: 'polyglot', detail: expect.any(String), offset: at },
        );
      }),
    );
  });

  it('finds a tag that ends the file, its delimiter being the end (an MP4 box of size 0 runs to the end)', () => {
    const toEnd = Buffer.concat([mp4, Buffer.from([0, 0, 0, 0]), Buffer.from('free<script')]);
    expect(scan('video/mp4', toEnd.subarray(0, -1))).toBeUndefined();
    expect(scan('video/mp4', toEnd, [toEnd.length - 3])).toMatchObject({ reason: 'polyglot', offset: toEnd.length - 7 });
  });

  it('refuses any data after an image’s end (PNG IEND, GIF trailer, WebP RIFF length, JPEG EOI), however chunked', () => {
    const images: [AssetType, Uint8Array][] = [
      ['image/png', png(3, 3)],
      ['image/gif', gif],
      ['image/webp', webpLossless],
      ['image/jpeg', jpeg],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...images),
        filler.filter((bytes) => bytes.length > 0),
        cuts,
        ([type, image], extra, points) => {
          // After a JPEG's EOI only further whole JPEGs may follow (Multi-Picture Format): extra bytes that start one are a truncated image.
          const startsAnotherJpeg = type === 'image/jpeg' && extra[0] === 0xff && extra[1] === 0xd8;
          expect(scan(type, Buffer.concat([image, extra]), points)).toMatchObject(
            startsAnotherJpeg ? { reason: 'malformed' } : { reason: 'trailing_data', offset: image.length },
          );
        },
      ),
    );
  });

  it('refuses a truncated image or video as malformed', () => {
    expect(scan('image/png', png(3, 3).subarray(0, -12))).toMatchObject({ reason: 'malformed' });
    expect(scan('image/jpeg', jpeg.subarray(0, -2))).toMatchObject({ reason: 'malformed' });
    expect(scan('video/mp4', mp4WithFree(new Uint8Array(100)).subarray(0, -1))).toMatchObject({ reason: 'malformed' });
  });

  it('finds a PDF active-content name anywhere, #xx escapes decoded, split across any chunk boundary', () => {
    const escaped = (name: string, mask: boolean[]) =>
      [...name].map((char, i) => (mask[i] ? `#${char.charCodeAt(0).toString(16)}` : char)).join('');
    const text = fc.string({ maxLength: 200 }).map((s) => s.replace(/[^a-z0-9 ]/gi, ' '));
    fc.assert(
      fc.property(
        fc.constantFrom('JavaScript', 'JS', 'OpenAction', 'Launch', 'EmbeddedFile', 'RichMedia'),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        text,
        text,
        fc.constantFrom(' ', '(', '<', '/', '\n', '>', ']', '%'),
        cuts,
        (name, mask, before, after, delimiter, points) => {
          const file = pdfWith(`${before} /${escaped(name, mask)}${delimiter}${after}`);
          const at = file.indexOf(`/${escaped(name, mask)}`);
          expect(scan('application/pdf', file, points)).toEqual({ reason: 'active_content', detail: `the PDF name /${name}`, offset: at });
        },
      ),
    );
  });

  it('keeps a PDF name that is only like an active one (/JSON, /Launcher, /JavaScripts)', () => {
    expect(scan('application/pdf', pdfWith('/JSON 1 /Launcher 2 /JavaScripts 3 /J#53ON 4'))).toBeUndefined();
  });
});
