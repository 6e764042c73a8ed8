import { crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { platformSchema } from '../../shared/schemas/common';
import { fitText } from '../../shared/media/images/text';
import { titleFont } from '../../shared/media/images/typeface';
import { validateImage } from '../../shared/media/images/validate';
import { encodePng } from '../../shared/media/png';
import { aspectFor, InvalidImage, renderThumbnail, type ThumbnailRequest } from '../../shared/media/thumbnail';

// Real 24×16 files made with libjpeg-turbo's cjpeg and libwebp's cwebp (lossy, lossless, lossy + alpha).
const JPEG_24x16 = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDkNO7V1Gndq5fTu1dRp3agDqdO7UUad2ooA//Z',
  'base64',
);
const WEBP_LOSSY_24x16 = Buffer.from(
  'UklGRj4AAABXRUJQVlA4IDIAAAAwAwCdASoYABAAPtE4sFMoIiWjmAEAGglpAABDtxwcIlUAAP71zp1+S9IYUf502wAAAA==',
  'base64',
);
const WEBP_LOSSLESS_24x16 = Buffer.from('UklGRiQAAABXRUJQVlA4TBcAAAAvF8ADAM1kRP8DQgJC9n+0KEbEBGD9GQA=', 'base64');
const WEBP_EXTENDED_24x16 = Buffer.from(
  'UklGRogAAABXRUJQVlA4WAoAAAAQAAAAFwAADwAAQUxQSAoAAAABB1DAiAhERP8DVlA4IFgAAAAwBACdASoYABAAPtE4sFMoIiWjmAEAGglsAJ0yhHc3pNuACIj39NdQvqgA/vLZO0U+59hMViU9cM+VMn315piG9BHnp8c8iHpzLR9GrdgwIW7wgt3oAAAA',
  'base64',
);

const HTML_ERROR_PAGE = Buffer.from('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>');

/** A small PNG with a colour gradient, as a remote provider might answer. */
function samplePng(width = 32, height = 18): Uint8Array {
  const rgb = new Uint8Array(width * height * 3).map((_, i) => (i * 7) % 256);
  return encodePng(width, height, rgb);
}

/** Width and height as written in a PNG's IHDR chunk (bytes 16–23). */
function ihdrSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A copy of a PNG with new IHDR dimensions and a matching CRC, so only the dimensions are wrong. */
function withIhdrSize(png: Uint8Array, width: number, height: number): Uint8Array {
  const copy = Uint8Array.from(png);
  const view = new DataView(copy.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(copy.subarray(12, 29)));
  return copy;
}

const MB = 5 * 1024 * 1024;

function request(overrides: Partial<ThumbnailRequest> = {}): ThumbnailRequest {
  return {
    title: '5 budgeting mistakes every student makes',
    subtitle: 'Day 3 · the 50/30/20 rule',
    prompt: 'a student counting coins, flat illustration',
    platform: 'youtube',
    niche: 'personal finance',
    seed: 'campaign-1/day-3/youtube',
    ...overrides,
  };
}

/** RGB of one pixel, decoded by pngjs (an independent decoder). */
function pixel(png: Uint8Array, x: number, y: number): number[] {
  const decoded = PNG.sync.read(Buffer.from(png));
  const i = (y * decoded.width + x) * 4;
  return [...decoded.data.subarray(i, i + 3)];
}

describe('aspectFor', () => {
  it('gives 16:9 to video and link platforms, squares to feeds and 9:16 to TikTok', () => {
    for (const platform of ['youtube', 'x', 'linkedin', 'facebook', 'blog'] as const)
      expect(aspectFor(platform)).toEqual({ width: 1280, height: 720 });
    for (const platform of ['instagram', 'threads'] as const) expect(aspectFor(platform)).toEqual({ width: 1080, height: 1080 });
    expect(aspectFor('tiktok')).toEqual({ width: 1080, height: 1920 });
  });
});

describe('offline title card', () => {
  it.each(platformSchema.options)('%s: a PNG of the platform size that pngjs decodes', async (platform) => {
    const image = await renderThumbnail(request({ platform }));
    const size = aspectFor(platform);
    expect(image).toMatchObject({ contentType: 'image/png', provider: 'offline', ...size });
    expect(ihdrSize(image.bytes)).toEqual(size);
    const decoded = PNG.sync.read(Buffer.from(image.bytes));
    expect({ width: decoded.width, height: decoded.height }).toEqual(size);
  });

  it('is deterministic for the same request; the seed moves the shapes, not the colours', async () => {
    const [first, again, otherSeed] = await Promise.all([
      renderThumbnail(request()),
      renderThumbnail(request()),
      renderThumbnail(request({ seed: 'campaign-1/day-4/youtube' })),
    ]);
    expect(Buffer.from(again.bytes).equals(first.bytes)).toBe(true);
    expect(Buffer.from(otherSeed.bytes).equals(first.bytes)).toBe(false);
    expect(pixel(otherSeed.bytes, 2, 2)).toEqual(pixel(first.bytes, 2, 2));
  });

  it('takes its colours from the niche', async () => {
    const niches = ['personal finance', 'fitness', 'cooking', 'gaming', 'travel'];
    const corners = await Promise.all(niches.map(async (niche) => pixel((await renderThumbnail(request({ niche }))).bytes, 2, 2).join()));
    expect(new Set(corners).size).toBe(niches.length);
  });

  it("follows a brand colour instead of the niche's, whatever the niche", async () => {
    const corner = async (over: Partial<ThumbnailRequest>) => pixel((await renderThumbnail(request(over))).bytes, 2, 2);
    const [red, redOtherNiche, blue, niche] = await Promise.all([
      corner({ brandColour: '#d62828' }),
      corner({ brandColour: '#d62828', niche: 'gaming' }),
      corner({ brandColour: '#1a73e8' }),
      corner({}),
    ]);
    expect(red[0]).toBeGreaterThan(Math.max(red[1], red[2]));
    expect(redOtherNiche[0]).toBeGreaterThan(Math.max(redOtherNiche[1], redOtherNiche[2]));
    expect(blue[2]).toBeGreaterThan(Math.max(blue[0], blue[1]));
    expect(niche).not.toEqual(red);
  });

  it.each([
    ['200 characters', 'How I paid off my student loans in three years while working part time '.repeat(3).slice(0, 200)],
    ['emoji only', '🎉🚀💸👩‍💻'],
    ['emoji in words', 'Budget 💸 like a pro 🚀 in 2026'],
    ['Cyrillic and Greek', 'Как копить деньги — Πώς να αποταμιεύετε'],
    ['CJK (missing from the font)', '学生のための予算の立て方とお金の節約術'],
    ['right-to-left scripts', 'كيف توفر المال שלום לכולם'],
    ['combining marks and controls', 'Cafe\u0301 cre\u0300me\u0000\t\n\u200b zero-width'],
    ['one unbreakable word', 'Supercalifragilisticexpialidocious'.repeat(8)],
    ['empty', ''],
  ])('renders a title with %s without throwing', async (_, title) => {
    for (const platform of ['youtube', 'tiktok'] as const) {
      const image = await renderThumbnail(request({ title, subtitle: title, niche: title || 'x', platform }));
      expect(ihdrSize(image.bytes)).toEqual(aspectFor(platform));
    }
  });
});

describe('title layout', () => {
  const font = titleFont();
  const box = { maxWidth: 1100, maxLines: 3, maxSize: 94, minSize: 43 };

  it('wraps a long title over lines that fit the width, shrinking before breaking words', () => {
    const block = fitText(font, '5 budgeting mistakes every student makes (and how to fix them)', box);
    expect(block.lines.length).toBeGreaterThan(1);
    expect(block.lines.length).toBeLessThanOrEqual(box.maxLines);
    expect(block.size).toBeGreaterThan(box.minSize);
    for (const line of block.lines) expect(line.width).toBeLessThanOrEqual(box.maxWidth);
  });

  it('cuts what does not fit at the smallest size with an ellipsis', () => {
    const block = fitText(font, 'word '.repeat(200), box);
    expect(block.size).toBe(box.minSize);
    expect(block.lines).toHaveLength(box.maxLines);
    expect(block.lines.at(-1)?.glyphs.at(-1)?.unicode).toBe(0x2026);
    for (const line of block.lines) expect(line.width).toBeLessThanOrEqual(box.maxWidth);
  });

  it('leaves out characters the font lacks instead of drawing boxes', () => {
    expect(fitText(font, '🎉 学生', box).lines).toEqual([]);
    expect(fitText(font, 'Hi 🎉', box).lines[0].glyphs.map((glyph) => glyph.unicode)).toEqual([0x48, 0x69]);
  });
});

describe('validateImage', () => {
  it.each([
    ['a PNG', samplePng(24, 16), 'image/png'],
    ['a JPEG', JPEG_24x16, 'image/jpeg'],
    ['a lossy WEBP (VP8)', WEBP_LOSSY_24x16, 'image/webp'],
    ['a lossless WEBP (VP8L)', WEBP_LOSSLESS_24x16, 'image/webp'],
    ['an extended WEBP (VP8X)', WEBP_EXTENDED_24x16, 'image/webp'],
  ])('accepts %s and reads its dimensions', (_, bytes, contentType) => {
    expect(validateImage(bytes, `${contentType}; charset=binary`, MB)).toEqual({ contentType, width: 24, height: 16 });
  });

  const png = samplePng(24, 16);
  const corruptPng = Uint8Array.from(png);
  corruptPng[45] ^= 0xff;
  it.each([
    ['a truncated PNG', png.subarray(0, png.length - 12), 'image/png'],
    ['a PNG cut inside its header', png.subarray(0, 20), 'image/png'],
    ['a PNG whose data fails its CRC', corruptPng, 'image/png'],
    ['a PNG of 0×16 pixels', withIhdrSize(png, 0, 16), 'image/png'],
    ['a truncated JPEG', JPEG_24x16.subarray(0, 300), 'image/jpeg'],
    ['a JPEG without a frame header', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xd9]), 'image/jpeg'],
    ['a truncated WEBP', WEBP_EXTENDED_24x16.subarray(0, 100), 'image/webp'],
    ['an HTML error page labelled PNG', HTML_ERROR_PAGE, 'image/png'],
    ['random bytes labelled JPEG', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256)), 'image/jpeg'],
    ['empty bytes', new Uint8Array(0), 'image/webp'],
    ['a PNG labelled JPEG', png, 'image/jpeg'],
    ['a JPEG labelled WEBP', JPEG_24x16, 'image/webp'],
    ['a WEBP labelled PNG', WEBP_LOSSY_24x16, 'image/png'],
    ['a PNG labelled text/html', png, 'text/html'],
    ['an unsupported image type', png, 'image/gif'],
  ])('rejects %s', (_, bytes, contentType) => {
    expect(() => validateImage(bytes, contentType, MB)).toThrow(InvalidImage);
  });

  it('rejects an image over the size limit, with a named error', () => {
    const error = (() => {
      try {
        validateImage(png, 'image/png', png.length - 1);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidImage);
    expect(error).toMatchObject({ name: 'InvalidImage', message: expect.stringContaining('exceed') });
    expect(validateImage(png, 'image/png', png.length)).toMatchObject({ width: 24 });
  });
});
