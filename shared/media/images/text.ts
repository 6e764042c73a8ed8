import type { Font, Glyph, PathCommand } from 'opentype.js';

export interface TextLine {
  glyphs: Glyph[];
  /** Pixels at the block's size. */
  width: number;
}

export interface TextBlock {
  size: number;
  lines: TextLine[];
}

export interface FitOptions {
  maxWidth: number;
  maxLines: number;
  maxSize: number;
  minSize: number;
}

const SHRINK_STEP = 0.92;
const ELLIPSIS = '…';

/**
 * Lays `text` out in the largest size (from `maxSize` down to `minSize`) at which it wraps into
 * `maxLines` lines of `maxWidth` pixels without breaking a word. At `minSize`, over-long words
 * are broken and text beyond the last line is cut with an ellipsis.
 *
 * Glyphs are placed one by one, without shaping: characters the font lacks (emoji, CJK for
 * DejaVu) are left out rather than drawn as boxes, and scripts that need shaping (Arabic) come out
 * unjoined. That never throws, unlike opentype.js's shaper on some inputs.
 */
export function fitText(font: Font, text: string, options: FitOptions): TextBlock {
  const words = drawableWords(font, text);
  const widestWord = words.reduce((widest, word) => Math.max(widest, advance(word)), 0);
  for (let size = options.maxSize; size > options.minSize; size *= SHRINK_STEP) {
    const scale = size / font.unitsPerEm;
    if (widestWord * scale > options.maxWidth) continue;
    const lines = wrap(font, words, scale, options.maxWidth);
    if (lines.length <= options.maxLines) return { size, lines };
  }
  const scale = options.minSize / font.unitsPerEm;
  const lines = wrap(font, words, scale, options.maxWidth);
  if (lines.length > options.maxLines) {
    lines.length = options.maxLines;
    lines[lines.length - 1] = withEllipsis(font, lines[lines.length - 1], scale, options.maxWidth);
  }
  return { size: options.minSize, lines };
}

/** The outlines of one line with its left end at `x` and its baseline at `baseline`. */
export function linePath(font: Font, line: TextLine, size: number, x: number, baseline: number): PathCommand[] {
  const commands: PathCommand[] = [];
  let penX = x;
  for (const glyph of line.glyphs) {
    commands.push(...glyph.getPath(penX, baseline, size).commands);
    penX += advance([glyph]) * (size / font.unitsPerEm);
  }
  return commands;
}

/** Height of a capital letter above the baseline, in pixels. */
export function capHeight(font: Font, size: number): number {
  return ((font.charToGlyph('H').yMax ?? font.ascender * 0.75) * size) / font.unitsPerEm;
}

function drawableWords(font: Font, text: string): Glyph[][] {
  return text
    .normalize('NFC')
    .split(/\s+/u)
    .map((word) => Array.from(word, (character) => font.charToGlyph(character)).filter((glyph) => glyph.index !== 0))
    .filter((word) => word.length > 0);
}

/** Greedy wrapping; a word wider than a line is broken between glyphs. */
function wrap(font: Font, words: Glyph[][], scale: number, maxWidth: number): TextLine[] {
  const space = font.charToGlyph(' ');
  const spaceWidth = advance([space]) * scale;
  const lines: TextLine[] = [];
  let current: TextLine | undefined;
  for (const word of words) {
    for (const piece of splitToWidth(word, scale, maxWidth)) {
      const width = advance(piece) * scale;
      if (current && current.width + spaceWidth + width <= maxWidth) {
        current.glyphs.push(space, ...piece);
        current.width += spaceWidth + width;
      } else {
        current = { glyphs: [...piece], width };
        lines.push(current);
      }
    }
  }
  return lines;
}

function splitToWidth(word: Glyph[], scale: number, maxWidth: number): Glyph[][] {
  const pieces: Glyph[][] = [[]];
  let width = 0;
  for (const glyph of word) {
    const glyphWidth = advance([glyph]) * scale;
    const piece = pieces[pieces.length - 1];
    if (piece.length > 0 && width + glyphWidth > maxWidth) {
      pieces.push([glyph]);
      width = glyphWidth;
    } else {
      piece.push(glyph);
      width += glyphWidth;
    }
  }
  return pieces;
}

function withEllipsis(font: Font, line: TextLine, scale: number, maxWidth: number): TextLine {
  const ellipsis = font.charToGlyph(ELLIPSIS);
  const glyphs = [...line.glyphs];
  while (glyphs.length > 0 && (advance(glyphs) + advance([ellipsis])) * scale > maxWidth) glyphs.pop();
  while (glyphs.length > 0 && glyphs[glyphs.length - 1].unicode === 0x20) glyphs.pop();
  glyphs.push(ellipsis);
  return { glyphs, width: advance(glyphs) * scale };
}

/** Advance width of a run of glyphs, in font units. */
function advance(glyphs: readonly Glyph[]): number {
  return glyphs.reduce((total, glyph) => total + (glyph.advanceWidth ?? 0), 0);
}
