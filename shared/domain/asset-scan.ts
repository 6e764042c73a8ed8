/**
 * The content scan of an upload: every byte of the object, fed chunk by chunk as it streams from
 * storage (never whole in memory), looking for what a header check cannot see: another format's
 * markup or archive signature anywhere, data after an image's end, a PDF's active content. Pure:
 * the caller feeds the chunks (shared/app/assets.ts from S3).
 */
import type { ContentFinding, ContentRejection } from './assets';
import type { AssetType } from '../schemas/vocabulary';

export interface ContentScanner {
  /** Feeds the next bytes; once something is found, returns it (the caller may stop reading). */
  push(chunk: Uint8Array): ContentFinding | undefined;
  /** The end of the object: what was found, or undefined for clean content. */
  end(): ContentFinding | undefined;
}

interface Inspector {
  push(chunk: Uint8Array, base: number): ContentFinding | undefined;
  end(total: number): ContentFinding | undefined;
}

export function createContentScanner(type: AssetType): ContentScanner {
  const inspectors = [
    signatureInspector(signaturesFor(type)),
    type === 'application/pdf' ? pdfNameInspector() : structureInspector(structureOf(type)),
  ];
  let total = 0;
  let finding: ContentFinding | undefined;
  return {
    push(chunk) {
      if (finding) return finding;
      for (const inspector of inspectors) finding ??= inspector.push(chunk, total);
      total += chunk.length;
      return finding;
    },
    end() {
      for (const inspector of inspectors) finding ??= inspector.end(total);
      return finding;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Signatures of another format, anywhere in the object.

/** One byte of a signature: the bytes it may be. */
type BytePattern = readonly number[];
interface Signature {
  /** What it reveals, for the log. */
  detail: string;
  pattern: readonly BytePattern[];
  /** The last pattern byte may be the end of the object (a tag's delimiter). */
  endMayClose?: boolean;
}

const byte = (char: string): BytePattern => [char.charCodeAt(0)];
const exact = (text: string): BytePattern[] => [...text].map(byte);
const anyCase = (text: string): BytePattern[] =>
  [...text].map((char) => [...new Set([char.toLowerCase().charCodeAt(0), char.toUpperCase().charCodeAt(0)])]);
const range = (low: number, high: number): BytePattern => Array.from({ length: high - low + 1 }, (_, i) => low + i);
/** What may follow a tag name in HTML: whitespace, `/` or `>`. */
const TAG_END: BytePattern = [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x2f, 0x3e];

const tag = (name: string): Signature => ({ detail: `${name}> markup`, pattern: [...anyCase(name), TAG_END], endMayClose: true });
/**
 * Markup a browser would render. Required to be followed by a tag delimiter, so compressed image
 * or video data matches one of these five-or-more-character tags by chance less than once in 10^12 bytes.
 */
const MARKUP = ['<html', '<head', '<body', '<script', '<iframe', '<?php', '<!doctype'].map(tag);
/** Four characters: a chance match once in 2·10^10 bytes (0.05 % of 10 MB images, 0.5 % of 100 MB videos: images only). */
const SVG = tag('<svg');
const ARCHIVES: Signature[] = [
  // A ZIP local file header with a plausible "version needed" (1.0–6.3), and the end of a ZIP's directory on disk 0.
  { detail: 'a ZIP archive', pattern: [...exact('PK\x03\x04'), range(0x0a, 0x3f), [0x00]] },
  { detail: 'a ZIP archive', pattern: exact('PK\x05\x06\x00\x00') },
  { detail: 'a RAR archive', pattern: exact('Rar!\x1a\x07') },
  { detail: 'a 7z archive', pattern: [...exact('7z'), [0xbc], [0xaf], [0x27], [0x1c]] },
  { detail: 'a PDF document', pattern: [...exact('%PDF-'), range(0x30, 0x39)] },
];

function signaturesFor(type: AssetType): Signature[] {
  if (type === 'application/pdf') return [];
  if (type === 'video/mp4') return [...MARKUP, ...ARCHIVES];
  return [...MARKUP, SVG, ...ARCHIVES];
}

const matchesAt = (window: Uint8Array, at: number, pattern: readonly BytePattern[]) =>
  pattern.every((allowed, i) => allowed.includes(window[at + i]));

/**
 * Searches each chunk together with the last bytes of the one before (one signature length less
 * one byte), so a signature split across chunks is found in the window that joins them.
 */
function signatureInspector(signatures: Signature[]): Inspector {
  const overlap = Math.max(0, ...signatures.map((signature) => signature.pattern.length - 1));
  let tail = new Uint8Array(0);
  const search = (window: Uint8Array, windowStart: number, atEnd: boolean): ContentFinding | undefined => {
    for (const signature of signatures) {
      const first = signature.pattern[0][0];
      for (let at = window.indexOf(first); at !== -1; at = window.indexOf(first, at + 1)) {
        const fits = at + signature.pattern.length <= window.length;
        const closedByEnd = atEnd && signature.endMayClose && at + signature.pattern.length - 1 === window.length;
        if ((fits && matchesAt(window, at, signature.pattern)) || (closedByEnd && matchesAt(window, at, signature.pattern.slice(0, -1)))) {
          return { reason: 'polyglot', detail: signature.detail, offset: windowStart + at };
        }
      }
    }
    return undefined;
  };
  return {
    push(chunk, base) {
      if (signatures.length === 0) return undefined;
      const window = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
      const finding = search(window, base - tail.length, false);
      tail = window.slice(Math.max(0, window.length - overlap));
      return finding;
    },
    end(total) {
      return signatures.length === 0 ? undefined : search(tail, total - tail.length, true);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Structure walkers: the format's own framing, to its end marker, so nothing hides after it.

/** What a walker needs next: bytes to read, bytes to skip, or to skip past the next byte of a value. */
type Need = { read: number; endMayFollow?: boolean } | { skip: number; endMayFollow?: boolean } | { skipPast: number };
/** A format's framing as a generator of needs; it throws Refused at the first fault and never returns. */
type Walker = Generator<Need, never, Uint8Array>;

class Refused {
  constructor(
    readonly reason: ContentRejection,
    readonly detail: string,
  ) {}
}
const malformed = (detail: string) => new Refused('malformed', detail);

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
const u32le = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const latin1 = (b: Uint8Array, start: number, length: number) => String.fromCharCode(...b.subarray(start, start + length));

/** A walker's end: one more byte is data after the format's end. */
function* nothingAfter(end: string): Walker {
  yield { read: 1, endMayFollow: true };
  throw new Refused('trailing_data', `data after the ${end}`);
}

function* pngStructure(): Walker {
  yield { skip: 8 };
  for (;;) {
    const header = yield { read: 8 };
    const length = u32be(header, 0);
    if (length > 0x7fffffff) throw malformed('a PNG chunk longer than 2^31 bytes');
    yield { skip: length + 4 };
    if (latin1(header, 4, 4) === 'IEND') return yield* nothingAfter('PNG end chunk (IEND)');
  }
}

function* subBlocks(): Generator<Need, void, Uint8Array> {
  for (let size = (yield { read: 1 })[0]; size !== 0; size = (yield { read: 1 })[0]) yield { skip: size };
}

function* gifStructure(): Walker {
  const screen = yield { read: 13 };
  if (screen[10] & 0x80) yield { skip: 3 * 2 ** ((screen[10] & 0x07) + 1) };
  for (;;) {
    const [introducer] = yield { read: 1 };
    if (introducer === 0x3b) return yield* nothingAfter('GIF trailer');
    if (introducer === 0x21) {
      yield { skip: 1 };
      yield* subBlocks();
    } else if (introducer === 0x2c) {
      const descriptor = yield { read: 9 };
      if (descriptor[8] & 0x80) yield { skip: 3 * 2 ** ((descriptor[8] & 0x07) + 1) };
      yield { skip: 1 };
      yield* subBlocks();
    } else {
      throw malformed(`a GIF block introducer 0x${introducer.toString(16)}`);
    }
  }
}

function* webpStructure(): Walker {
  const header = yield { read: 12 };
  const riffSize = u32le(header, 4);
  if (riffSize < 4) throw malformed('a RIFF size below 4');
  yield { skip: riffSize - 4 + (riffSize % 2) };
  return yield* nothingAfter('RIFF length');
}

const EOI = 0xd9;
const SOS = 0xda;
const standalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

/** The marker byte after an 0xFF already consumed (fill bytes skipped). */
function* markerByte(): Generator<Need, number, Uint8Array> {
  let [value] = yield { read: 1 };
  while (value === 0xff) [value] = yield { read: 1 };
  return value;
}

function* nextMarker(): Generator<Need, number, Uint8Array> {
  const [value] = yield { read: 1 };
  if (value !== 0xff) throw malformed('JPEG bytes where a marker belongs');
  return yield* markerByte();
}

/** Entropy-coded data: stuffed 0xFF00 and restart markers belong to it; any other marker ends it. */
function* afterScan(): Generator<Need, number, Uint8Array> {
  for (;;) {
    yield { skipPast: 0xff };
    const marker = yield* markerByte();
    if (marker !== 0x00 && !(marker >= 0xd0 && marker <= 0xd7)) return marker;
  }
}

/** One JPEG to its EOI; then only further whole JPEGs (the Multi-Picture Format of phone cameras appends its previews so). */
function* jpegStructure(): Walker {
  for (let image = 0; ; image++) {
    const start = yield { read: 2, endMayFollow: image > 0 };
    if (start[0] !== 0xff || start[1] !== 0xd8) {
      if (image === 0) throw malformed('no JPEG start marker');
      throw new Refused('trailing_data', 'data after the JPEG end marker (EOI)');
    }
    let marker = yield* nextMarker();
    while (marker !== EOI) {
      if (standalone(marker)) {
        marker = yield* nextMarker();
        continue;
      }
      const length = u16be(yield { read: 2 }, 0);
      if (length < 2) throw malformed('a JPEG segment shorter than its length field');
      yield { skip: length - 2 };
      marker = marker === SOS ? yield* afterScan() : yield* nextMarker();
    }
  }
}

/** ISO base media: top-level boxes tile the file exactly (a box of size 0 runs to its end). */
function* mp4Structure(): Walker {
  for (;;) {
    const header = yield { read: 8, endMayFollow: true };
    let size = u32be(header, 0);
    let headerSize = 8;
    if (size === 0) {
      yield { skip: Number.POSITIVE_INFINITY, endMayFollow: true };
    } else if (size === 1) {
      const large = yield { read: 8 };
      size = u32be(large, 0) * 2 ** 32 + u32be(large, 4);
      headerSize = 16;
    }
    if (size < headerSize) throw malformed(`an MP4 box of ${size} bytes`);
    yield { skip: size - headerSize };
  }
}

function structureOf(type: AssetType): () => Walker {
  const walkers: Record<Exclude<AssetType, 'application/pdf'>, () => Walker> = {
    'image/png': pngStructure,
    'image/gif': gifStructure,
    'image/webp': webpStructure,
    'image/jpeg': jpegStructure,
    'video/mp4': mp4Structure,
  };
  return walkers[type as Exclude<AssetType, 'application/pdf'>];
}

/** Runs a walker over the chunks: reads and skips cross chunk boundaries, offsets are absolute. */
function structureInspector(start: () => Walker): Inspector {
  const walker = start();
  let need: Need;
  let finding: ContentFinding | undefined;
  let buffer: number[] = [];
  const advance = (value: Uint8Array | undefined, offset: number) => {
    try {
      const step = walker.next(value as Uint8Array);
      if (!step.done) need = step.value;
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      finding = { reason: error.reason, detail: error.detail, offset };
    }
  };
  advance(undefined, 0);
  return {
    push(chunk, base) {
      let i = 0;
      while (!finding && i < chunk.length) {
        if ('skip' in need) {
          const n = Math.min(need.skip, chunk.length - i);
          i += n;
          need = { ...need, skip: need.skip - n };
          if (need.skip === 0) advance(undefined, base + i);
        } else if ('skipPast' in need) {
          const at = chunk.indexOf(need.skipPast, i);
          i = at === -1 ? chunk.length : at + 1;
          if (at !== -1) advance(undefined, base + i);
        } else {
          const n = Math.min(need.read - buffer.length, chunk.length - i);
          const startOffset = base + i - buffer.length;
          for (let k = 0; k < n; k++) buffer.push(chunk[i + k]);
          i += n;
          if (buffer.length === need.read) {
            const value = Uint8Array.from(buffer);
            buffer = [];
            advance(value, startOffset);
          }
        }
      }
      return finding;
    },
    end(total) {
      if (finding) return finding;
      if (!('skipPast' in need) && need.endMayFollow) {
        return buffer.length === 0
          ? undefined
          : { reason: 'trailing_data', detail: 'bytes after the end of the format', offset: total - buffer.length };
      }
      return { reason: 'malformed', detail: 'the file ends inside its structure (truncated)', offset: total };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PDF: names that run code, open other files or carry them.

const ACTIVE_NAMES = new Set(['JavaScript', 'JS', 'OpenAction', 'Launch', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia']);
/** Whitespace and delimiters end a PDF name (ISO 32000-1, 7.2.2). */
const NAME_END = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const LONGEST_NAME = Math.max(...[...ACTIVE_NAMES].map((name) => name.length));
const hexValue = (b: number) =>
  b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x41 && b <= 0x46 ? b - 0x37 : b >= 0x61 && b <= 0x66 ? b - 0x57 : -1;

/**
 * Reads every name (`/Name`) as a PDF reader decodes it (`#xx` escapes, so `/J#61vaScript` is
 * `/JavaScript`), carrying a name cut by a chunk boundary over to the next chunk.
 */
function pdfNameInspector(): Inspector {
  let name: number[] | undefined;
  let nameStart = 0;
  let escape: number[] | undefined;
  const close = (): ContentFinding | undefined => {
    const decoded = name && name.length <= LONGEST_NAME ? String.fromCharCode(...name) : '';
    name = undefined;
    escape = undefined;
    return ACTIVE_NAMES.has(decoded) ? { reason: 'active_content', detail: `the PDF name /${decoded}`, offset: nameStart } : undefined;
  };
  return {
    push(chunk, base) {
      let i = name ? 0 : chunk.indexOf(0x2f);
      if (i === -1) return undefined;
      for (; i < chunk.length; i++) {
        const b = chunk[i];
        if (!name) {
          if (b === 0x2f) {
            name = [];
            nameStart = base + i;
          } else {
            const next = chunk.indexOf(0x2f, i);
            if (next === -1) return undefined;
            i = next - 1;
          }
          continue;
        }
        if (NAME_END.has(b)) {
          const finding = close();
          if (finding) return finding;
          if (b === 0x2f) {
            name = [];
            nameStart = base + i;
          }
        } else if (escape) {
          escape.push(b);
          if (escape.length === 2) {
            const [high, low] = escape.map(hexValue);
            name.push(...(high >= 0 && low >= 0 ? [high * 16 + low] : [0x23, ...escape]));
            escape = undefined;
          }
        } else if (b === 0x23) {
          escape = [];
        } else if (name.length <= LONGEST_NAME) {
          name.push(b);
        }
      }
      return undefined;
    },
    end() {
      return close();
    },
  };
}
