import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Font } from 'opentype.js';
import { parse } from 'opentype.js/dist/opentype.mjs';

/** DejaVu Sans Bold, from the dejavu-fonts-ttf package (Bitstream Vera licence: free to embed and redistribute). */
export const FONT_FILE = 'DejaVuSans-Bold.ttf';

/** The font ships beside the function bundle (copied by CDK); in a source checkout it is read from the package. */
function fontPath(): string {
  const bundled = fileURLToPath(new URL(`./${FONT_FILE}`, import.meta.url));
  if (existsSync(bundled)) return bundled;
  return createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${FONT_FILE}`);
}

let font: Font | undefined;

/** The parsed title font, read once per process (about 150 ms). */
export function titleFont(): Font {
  if (!font) {
    const bytes = readFileSync(fontPath());
    font = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return font;
}
