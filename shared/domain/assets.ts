import type { AssetType, RejectionReason } from '../schemas/vocabulary';

/**
 * Creator assets (logo, brand images, reference photos, brand guidelines): the accepted types,
 * their size caps, and the checker that decides from the object's first bytes and the content
 * scan of all of it (./asset-scan.ts) whether an upload is what it was declared to be. Pure: no
 * AWS here (the upload flow is shared/app/assets.ts).
 */

export type ContentRejection = 'polyglot' | 'trailing_data' | 'active_content' | 'malformed';

export interface ContentFinding {
  reason: ContentRejection;
  detail: string;
  /** Byte offset in the object where it was found. */
  offset: number;
}

const MB = 1024 * 1024;
export const SIZE_CAPS: Record<AssetType, number> = {
  'image/png': 10 * MB,
  'image/jpeg': 10 * MB,
  'image/webp': 10 * MB,
  'image/gif': 10 * MB,
  'video/mp4': 100 * MB,
  'application/pdf': 20 * MB,
};

/** How long a presigned upload form is valid. */
export const UPLOAD_EXPIRY_SECONDS = 5 * 60;
/** The header checks look at this many leading bytes: enough for every header they parse. */
export const HEAD_BYTES = 64 * 1024;
/** PDF readers accept `%PDF-` anywhere in the first 1024 bytes, HTML sniffers look as far: where a polyglot hides. */
const SNIFF_WINDOW = 1024;

const ascii = (bytes: Uint8Array, start: number, length: number) => Buffer.from(bytes.subarray(start, start + length)).toString('latin1');

/** The type the leading bytes show, or undefined when they match none of the accepted types. */
export function detectType(head: Uint8Array): AssetType | undefined {
  if (head.length >= 8 && head[0] === 0x89 && ascii(head, 1, 7) === 'PNG\r\n\x1a\n') return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'image/webp';
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return 'image/gif';
  if (head.length >= 12 && ascii(head, 4, 4) === 'ftyp') return 'video/mp4';
  if (head.length >= 5 && ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  return undefined;
}

const POLYGLOT_MARKERS = ['%pdf-', '<html', '<script', '<svg', '<?xml', '<!doctype'];

/** A second format's marker where a reader or a browser would find it. */
function hidesAnotherFormat(head: Uint8Array, type: AssetType): boolean {
  const window = ascii(head, 0, SNIFF_WINDOW).toLowerCase();
  return POLYGLOT_MARKERS.some((marker) => !(marker === '%pdf-' && type === 'application/pdf') && window.includes(marker));
}

export interface Dimensions {
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);

/**
 * Width and height from the header bytes of an image; null when the header is not well-formed
 * (the upload is then malformed), undefined when the size lies beyond the bytes read (a JPEG
 * with a large metadata block) or the type has none to read cheaply (MP4, PDF).
 */
export function readDimensions(head: Uint8Array, type: AssetType): Dimensions | null | undefined {
  switch (type) {
    case 'image/png':
      // The first chunk must be IHDR (length 13): width and height, big-endian, at 16 and 20.
      if (head.length < 24 || u32be(head, 8) !== 13 || ascii(head, 12, 4) !== 'IHDR') return null;
      return positive(u32be(head, 16), u32be(head, 20));
    case 'image/gif':
      return head.length < 10 ? null : positive(u16le(head, 6), u16le(head, 8));
    case 'image/webp':
      return webpDimensions(head);
    case 'image/jpeg':
      return jpegDimensions(head);
    default:
      return undefined;
  }
}

const positive = (width: number, height: number): Dimensions | null => (width > 0 && height > 0 ? { width, height } : null);

function webpDimensions(head: Uint8Array): Dimensions | null {
  if (head.length < 30) return null;
  const chunk = ascii(head, 12, 4);
  if (chunk === 'VP8 ') {
    // Lossy: a key frame's start code 9d 01 2a, then 14-bit width and height.
    if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return null;
    return positive(u16le(head, 26) & 0x3fff, u16le(head, 28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each.
    if (head[20] !== 0x2f) return null;
    const bits = (head[21] | (head[22] << 8) | (head[23] << 16) | (head[24] << 24)) >>> 0;
    return positive((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') return positive(u24le(head, 24) + 1, u24le(head, 27) + 1);
  return null;
}

function jpegDimensions(head: Uint8Array): Dimensions | null | undefined {
  let offset = 2;
  while (offset + 4 <= head.length) {
    if (head[offset] !== 0xff) return null;
    const marker = head[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = u16be(head, offset + 2);
    if (length < 2) return null;
    // Start-of-frame markers C0–CF, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (offset + 9 > head.length) return undefined;
      return positive(u16be(head, offset + 7), u16be(head, offset + 5));
    }
    if (marker === 0xda) return null; // image data before any frame header
    offset += 2 + length;
  }
  return undefined;
}

export interface DeclaredUpload {
  type: AssetType;
  /** The size declared when the upload was requested; the policy's upper bound. */
  size: number;
}

export type CheckResult =
  | { accepted: true; type: AssetType; size: number; dimensions?: Dimensions }
  | { accepted: false; reason: RejectionReason; detectedType?: AssetType };

/** The most bytes an upload of this declaration may have: its declared size, within its type's cap. */
export const sizeLimit = (declared: DeclaredUpload) => Math.min(declared.size, SIZE_CAPS[declared.type]);

/**
 * Every condition of the upload policy, enforced again on what actually arrived (an emulator, or a
 * client that skipped the form, may not have enforced them): a non-empty object no larger than the
 * declared size and the type's cap, whose leading bytes are the declared type, well-formed, and
 * not hiding a second format; then what the content scan of the whole object found, if anything.
 */
export function checkUpload(declared: DeclaredUpload, size: number, head: Uint8Array, content?: ContentFinding): CheckResult {
  if (size <= 0) return { accepted: false, reason: 'empty' };
  if (size > sizeLimit(declared)) return { accepted: false, reason: 'too_large' };
  if (head.length === 0) return { accepted: false, reason: 'empty' };
  const detectedType = detectType(head);
  if (detectedType !== declared.type) return { accepted: false, reason: 'type_mismatch', ...(detectedType && { detectedType }) };
  if (hidesAnotherFormat(head, declared.type)) return { accepted: false, reason: 'polyglot' };
  const dimensions = readDimensions(head, declared.type);
  if (dimensions === null) return { accepted: false, reason: 'malformed' };
  if (content) return { accepted: false, reason: content.reason };
  return { accepted: true, type: declared.type, size, ...(dimensions && { dimensions }) };
}
