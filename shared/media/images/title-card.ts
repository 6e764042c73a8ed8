import type { Font } from 'opentype.js';
import { platformLabels } from '../../schemas/common';
import type { ImageSize, ThumbnailRequest } from './request';
import { hashString, seededRandom } from './hash';
import { Raster, type Rgb } from './raster';
import { capHeight, fitText, linePath, type TextBlock } from './text';
import { titleFont } from './typeface';

const WHITE: Rgb = [255, 255, 255];
const SHADOW: Rgb = [0, 0, 0];
const LINE_HEIGHT = 1.12;

interface Palette {
  /** Top-left and bottom-right of the background gradient. */
  start: Rgb;
  end: Rgb;
  /** Soft shapes behind the text. */
  glow: Rgb;
  /** The niche label and the bar under the title. */
  accent: Rgb;
}

/**
 * A title card as a PNG: a gradient in colours derived from the brand colour or else the niche, soft shapes placed by the
 * seed, the niche as a label, the title as large as fits, the subtitle and the platform smaller.
 * The same request always gives the same bytes.
 */
export function renderTitleCard(request: ThumbnailRequest, size: ImageSize): Uint8Array {
  const { width, height } = size;
  const font = titleFont();
  const palette = paletteFor(request.niche, request.brandColour);
  const raster = new Raster(width, height);
  const unit = Math.min(width, height);
  const margin = Math.round(unit * 0.085);
  const textWidth = width - 2 * margin;

  raster.fillDiagonalGradient(palette.start, palette.end);
  drawShapes(raster, palette, seededRandom(hashString(request.seed)));

  const labelBottom = drawLabel(raster, font, request.niche, palette, margin, unit);
  const footerTop = drawFooter(raster, font, platformLabels[request.platform], palette, margin, unit);

  const barHeight = Math.round(unit * 0.012);
  const gap = Math.round(unit * 0.04);
  const subtitleOptions = { maxWidth: textWidth, maxLines: 2, maxSize: unit * 0.048, minSize: unit * 0.034 };
  const titleLines = height > width ? 6 : height === width ? 4 : 3;
  // Caps the title so that its most lines, the bar and the longest subtitle always fit between the
  // label and the footer, with a gap above and below.
  const roomForTitle = footerTop - labelBottom - 4 * gap - barHeight - subtitleOptions.maxLines * subtitleOptions.maxSize * LINE_HEIGHT;
  const title = fitText(font, request.title, {
    maxWidth: textWidth,
    maxLines: titleLines,
    maxSize: Math.min(unit * 0.13, roomForTitle / (titleLines * LINE_HEIGHT)),
    minSize: unit * 0.06,
  });
  const subtitle = fitText(font, request.subtitle ?? '', subtitleOptions);
  const titleHeight = blockHeight(font, title);
  const subtitleHeight = subtitle.lines.length > 0 ? gap + blockHeight(font, subtitle) : 0;
  const total = titleHeight + gap + barHeight + subtitleHeight;

  let top = Math.round(labelBottom + (footerTop - labelBottom - total) / 2);
  drawBlock(raster, font, title, margin, top, WHITE, 1, unit);
  top += titleHeight + gap;
  raster.fillRoundedRect(margin, top, unit * 0.14, barHeight, barHeight / 2, palette.accent);
  top += barHeight + gap;
  drawBlock(raster, font, subtitle, margin, top, WHITE, 0.88, unit);

  return raster.toPng();
}

/** Hues from yellow to lime turn olive or brown at the darkness white text needs; palettes avoid them. */
const MUDDY_HUES = { from: 45, to: 100 };
const isMuddy = (hue: number) => {
  const normalized = ((hue % 360) + 360) % 360;
  return normalized >= MUDDY_HUES.from && normalized <= MUDDY_HUES.to;
};

/** The brand colour's hue when there is one (whatever it is: it is the brand's), else one the niche picks outside the muddy hues. */
function paletteFor(niche: string, brandColour?: string): Palette {
  const hash = hashString(niche.trim().toLowerCase());
  const muddyWidth = MUDDY_HUES.to - MUDDY_HUES.from;
  const pick = hash % (360 - muddyWidth);
  const hue = brandColour ? hueOf(brandColour) : pick < MUDDY_HUES.from ? pick : pick + muddyWidth;
  const drift = 25 + ((hash >>> 9) % 35);
  const endHue = isMuddy(hue + drift) ? hue - drift : hue + drift;
  return {
    start: hsl(hue, 0.62, 0.42),
    end: hsl(endHue, 0.7, 0.17),
    glow: hsl(hue - 12, 0.85, 0.66),
    accent: hsl(hue + 150 + ((hash >>> 17) % 60), 0.9, 0.64),
  };
}

/** The hue (degrees) of a `#rrggbb` colour. */
function hueOf(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return 0;
  const sector = max === r ? ((g - b) / delta + 6) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return Math.round(sector * 60);
}

function drawShapes(raster: Raster, palette: Palette, random: () => number): void {
  const { width, height } = raster;
  const unit = Math.min(width, height);
  raster.fillCircle(width * (0.78 + random() * 0.2), height * (random() * 0.25), unit * (0.45 + random() * 0.2), palette.glow, 0.16);
  raster.fillCircle(width * (random() * 0.2), height * (0.85 + random() * 0.2), unit * (0.3 + random() * 0.15), palette.glow, 0.1);
  // A small grid of dots in the top-right corner, across from the niche label.
  const spacing = unit * 0.04;
  const dotsLeft = width - unit * 0.085 - spacing * 4;
  for (let row = 0; row < 3; row++) {
    for (let column = 0; column < 5; column++)
      raster.fillCircle(dotsLeft + column * spacing, unit * 0.1 + row * spacing, unit * 0.006, WHITE, 0.4);
  }
}

/** The niche in capitals on an accent pill in the top-left corner; returns the pill's bottom edge. */
function drawLabel(raster: Raster, font: Font, niche: string, palette: Palette, margin: number, unit: number): number {
  const textSize = unit * 0.032;
  const label = fitText(font, niche.toUpperCase(), { maxWidth: raster.width * 0.55, maxLines: 1, maxSize: textSize, minSize: textSize });
  const line = label.lines[0];
  if (!line) return margin;
  const padding = textSize * 0.9;
  const pillHeight = Math.round(textSize * 2.1);
  raster.fillRoundedRect(margin, margin, line.width + 2 * padding, pillHeight, pillHeight / 2, palette.accent);
  const baseline = margin + (pillHeight + capHeight(font, textSize)) / 2;
  raster.fillPath(linePath(font, line, textSize, margin + padding, baseline), palette.end);
  return margin + pillHeight;
}

/** The platform's name in the bottom-left corner after an accent dot; returns the top of the footer. */
function drawFooter(raster: Raster, font: Font, platformName: string, palette: Palette, margin: number, unit: number): number {
  const textSize = unit * 0.034;
  const baseline = raster.height - margin;
  const dotRadius = textSize * 0.3;
  raster.fillCircle(margin + dotRadius, baseline - capHeight(font, textSize) / 2, dotRadius, palette.accent);
  const footer = fitText(font, platformName, { maxWidth: raster.width, maxLines: 1, maxSize: textSize, minSize: textSize });
  for (const line of footer.lines) raster.fillPath(linePath(font, line, textSize, margin + dotRadius * 3.2, baseline), WHITE, 0.8);
  return baseline - capHeight(font, textSize);
}

function blockHeight(font: Font, block: TextBlock): number {
  if (block.lines.length === 0) return 0;
  return Math.round((block.lines.length - 1) * block.size * LINE_HEIGHT + capHeight(font, block.size));
}

/** Lines of text from `top` (the cap height of the first line), over a soft drop shadow for contrast on light backgrounds. */
function drawBlock(
  raster: Raster,
  font: Font,
  block: TextBlock,
  left: number,
  top: number,
  color: Rgb,
  opacity: number,
  unit: number,
): void {
  const shadowOffset = unit * 0.005;
  block.lines.forEach((line, i) => {
    const baseline = top + capHeight(font, block.size) + i * block.size * LINE_HEIGHT;
    raster.fillPath(linePath(font, line, block.size, left + shadowOffset, baseline + shadowOffset * 1.5), SHADOW, 0.22 * opacity);
    raster.fillPath(linePath(font, line, block.size, left, baseline), color, opacity);
  });
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 360;
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (offset: number) => {
    const k = (offset + h * 12) % 12;
    return Math.round(255 * (lightness - (chroma / 2) * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}
