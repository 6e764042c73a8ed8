import { crc32 } from 'node:zlib';
import { PNG_SIGNATURE } from '../png';
import { InvalidImage } from './errors';

export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

export interface ImageFacts {
  contentType: ImageContentType;
  width: number;
  height: number;
}

interface Dimensions {
  width: number;
  height: number;
}

/**
 * Checks that `bytes` really are an image of `contentType` (a MIME type, parameters ignored):
 * within `maxBytes`, the format's signature, a complete structure where the format makes that
 * cheap to tell (PNG chunks with their CRCs up to IEND, JPEG's end marker, the RIFF length) and
 * non-zero dimensions from the header. Throws `InvalidImage` otherwise.
 */
export function validateImage(bytes: Uint8Array, contentType: string, maxBytes: number): ImageFacts {
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (!isImageContentType(type)) throw new InvalidImage(`Unsupported content type "${contentType}"`);
  if (bytes.length > maxBytes) throw new InvalidImage(`${bytes.length} bytes exceed the limit of ${maxBytes}`);
  const { width, height } = dimensionReaders[type](bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!(width > 0 && height > 0)) throw new InvalidImage(`The ${type} header declares ${width}×${height} pixels`);
  return { contentType: type, width, height };
}

function isImageContentType(type: string): type is ImageContentType {
  return (IMAGE_CONTENT_TYPES as readonly string[]).includes(type);
}

const dimensionReaders: Record<ImageContentType, (bytes: Uint8Array, view: DataView) => Dimensions> = {
  'image/png': pngDimensions,
  'image/jpeg': jpegDimensions,
  'image/webp': webpDimensions,
};

function pngDimensions(bytes: Uint8Array, view: DataView): Dimensions {
  if (!startsWith(bytes, PNG_SIGNATURE)) throw new InvalidImage('Not a PNG: no PNG signature');
  let dimensions: Dimensions | undefined;
  for (let offset = PNG_SIGNATURE.length; ;) {
    if (offset + 12 > bytes.length) throw new InvalidImage('Truncated PNG: no IEND chunk');
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > bytes.length) throw new InvalidImage('Truncated PNG: a chunk runs past the end');
    const type = ascii(bytes, offset + 4, 4);
    if (crc32(bytes.subarray(offset + 4, end - 4)) !== view.getUint32(end - 4))
      throw new InvalidImage(`Corrupt PNG: chunk ${type} fails its CRC`);
    if (dimensions === undefined) {
      if (type !== 'IHDR' || length !== 13) throw new InvalidImage('Corrupt PNG: IHDR is not the first chunk');
      dimensions = { width: view.getUint32(offset + 8), height: view.getUint32(offset + 12) };
    }
    if (type === 'IEND') return dimensions;
    offset = end;
  }
}

const JPEG_START = Uint8Array.of(0xff, 0xd8, 0xff);
const JPEG_END_MARKER = 0xd9;
const JPEG_START_OF_SCAN = 0xda;
// SOF0–SOF15 carry the frame size; C4 (DHT), C8 (reserved) and CC (DAC) share the range but do not.
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegDimensions(bytes: Uint8Array, view: DataView): Dimensions {
  if (!startsWith(bytes, JPEG_START)) throw new InvalidImage('Not a JPEG: no start-of-image marker');
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== JPEG_END_MARKER)
    throw new InvalidImage('Truncated JPEG: no end-of-image marker');
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new InvalidImage('Corrupt JPEG: a segment does not start with a marker');
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    if (isStartOfFrame(marker)) {
      if (offset + 9 > bytes.length) break;
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    if (marker === JPEG_START_OF_SCAN) break;
    offset += 2 + view.getUint16(offset + 2);
  }
  throw new InvalidImage('Corrupt JPEG: no frame header before the image data');
}

function webpDimensions(bytes: Uint8Array, view: DataView): Dimensions {
  if (bytes.length < 30 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP')
    throw new InvalidImage('Not a WEBP: no RIFF/WEBP header');
  if (8 + view.getUint32(4, true) > bytes.length) throw new InvalidImage('Truncated WEBP: shorter than its RIFF length');
  const format = ascii(bytes, 12, 4);
  switch (format) {
    case 'VP8 ': // lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height
      if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) throw new InvalidImage('Corrupt WEBP: no VP8 start code');
      return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
    case 'VP8L': {
      // lossless: the signature byte 2F, then width − 1 and height − 1 in 14 bits each
      if (bytes[20] !== 0x2f) throw new InvalidImage('Corrupt WEBP: no VP8L signature');
      const bits = view.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X': // extended: 4 bytes of flags, then canvas width − 1 and height − 1 in 24 bits each
      return { width: uint24(bytes, 24) + 1, height: uint24(bytes, 27) + 1 };
    default:
      throw new InvalidImage(`Corrupt WEBP: unknown bitstream "${format}"`);
  }
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

function uint24(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16);
}
