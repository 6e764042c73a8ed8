import type { PathCommand } from 'opentype.js';
import { encodePng } from '../png';

export type Rgb = readonly [number, number, number];

/** Largest distance, in pixels, between a curve and the straight segments that replace it. */
const FLATTENING_TOLERANCE = 0.25;
const MAX_CURVE_SEGMENTS = 64;
const GRADIENT_STEPS = 1024;

/** An RGB pixel buffer with the few anti-aliased drawing operations a title card needs. */
export class Raster {
  readonly pixels: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
  }

  /** A linear gradient along the diagonal from the top-left corner (`from`) to the bottom-right (`to`). */
  fillDiagonalGradient(from: Rgb, to: Rgb): void {
    const { width, height, pixels } = this;
    // The colour at GRADIENT_STEPS + 1 positions along the diagonal, looked up per pixel: a step is
    // under 1/4 of a colour level for any pair of colours, and a card has millions of pixels.
    const table = new Uint8Array((GRADIENT_STEPS + 1) * 3);
    for (let step = 0; step <= GRADIENT_STEPS; step++) {
      for (let c = 0; c < 3; c++) table[step * 3 + c] = Math.round(from[c] + ((to[c] - from[c]) * step) / GRADIENT_STEPS);
    }
    const scale = GRADIENT_STEPS / (width * width + height * height);
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i += 3) {
        const step = (((x * width + y * height) * scale + 0.5) | 0) * 3;
        pixels[i] = table[step];
        pixels[i + 1] = table[step + 1];
        pixels[i + 2] = table[step + 2];
      }
    }
  }

  /** Coverage `radius - distance + 0.5` per pixel centre, computed only on the rim: inside it, every pixel is covered. */
  fillCircle(centerX: number, centerY: number, radius: number, color: Rgb, opacity = 1): void {
    const y0 = Math.max(0, Math.floor(centerY - radius - 0.5));
    const y1 = Math.min(this.height, Math.ceil(centerY + radius + 0.5));
    const inner = Math.max(0, radius - 0.5);
    for (let y = y0; y < y1; y++) {
      const dy = y + 0.5 - centerY;
      const outerSquared = (radius + 0.5) ** 2 - dy * dy;
      if (outerSquared <= 0) continue;
      const outerHalf = Math.sqrt(outerSquared);
      const innerHalf = inner * inner > dy * dy ? Math.sqrt(inner * inner - dy * dy) : -1;
      const x0 = Math.max(0, Math.floor(centerX - outerHalf - 0.5));
      const x1 = Math.min(this.width, Math.ceil(centerX + outerHalf + 0.5));
      for (let x = x0; x < x1; x++) {
        const dx = x + 0.5 - centerX;
        if (Math.abs(dx) <= innerHalf) this.blend(x, y, color, opacity);
        else this.blend(x, y, color, Math.min(1, Math.max(0, radius - Math.sqrt(dx * dx + dy * dy) + 0.5)) * opacity);
      }
    }
  }

  fillRoundedRect(left: number, top: number, width: number, height: number, radius: number, color: Rgb, opacity = 1): void {
    const centerX = left + width / 2;
    const centerY = top + height / 2;
    const innerHalfWidth = width / 2 - radius;
    const innerHalfHeight = height / 2 - radius;
    this.fillByCoverage(left, top, left + width, top + height, color, opacity, (px, py) => {
      // Signed distance to a rectangle shrunk by the radius, minus the radius.
      const qx = Math.abs(px - centerX) - innerHalfWidth;
      const qy = Math.abs(py - centerY) - innerHalfHeight;
      const distance = Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2) + Math.min(Math.max(qx, qy), 0) - radius;
      return 0.5 - distance;
    });
  }

  /**
   * Fills a path (glyph outlines: M, L, Q, C, Z commands) with the non-zero rule, anti-aliased by
   * exact area coverage: every edge adds its signed area to an accumulation buffer, and a running
   * sum along each row gives each pixel's coverage (the technique of font-rs and stb_truetype).
   */
  fillPath(commands: readonly PathCommand[], color: Rgb, opacity = 1): void {
    const edges = flatten(commands);
    if (edges.length === 0) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < edges.length; i += 2) {
      minX = Math.min(minX, edges[i]);
      maxX = Math.max(maxX, edges[i]);
      minY = Math.min(minY, edges[i + 1]);
      maxY = Math.max(maxY, edges[i + 1]);
    }
    // The buffer covers the whole path, even off-canvas parts, so every edge lands inside it;
    // the extra column takes the area to the right of the rightmost edge.
    const originX = Math.floor(minX);
    const originY = Math.floor(minY);
    const stride = Math.ceil(maxX) - originX + 2;
    const rows = Math.ceil(maxY) - originY;
    const area = new Float32Array(stride * rows);
    for (let i = 0; i + 3 < edges.length; i += 4) {
      accumulateEdge(area, stride, rows, edges[i] - originX, edges[i + 1] - originY, edges[i + 2] - originX, edges[i + 3] - originY);
    }
    for (let row = 0; row < rows; row++) {
      const y = originY + row;
      if (y < 0 || y >= this.height) continue;
      let sum = 0;
      for (let column = 0; column < stride; column++) {
        sum += area[row * stride + column];
        const x = originX + column;
        if (x >= 0 && x < this.width) this.blend(x, y, color, Math.min(1, Math.abs(sum)) * opacity);
      }
    }
  }

  toPng(): Uint8Array {
    return encodePng(this.width, this.height, this.pixels);
  }

  /** Paints every pixel of a box by the coverage (clamped to 0…1) that `coverageAt` gives for its centre. */
  private fillByCoverage(
    left: number,
    top: number,
    right: number,
    bottom: number,
    color: Rgb,
    opacity: number,
    coverageAt: (px: number, py: number) => number,
  ): void {
    const x0 = Math.max(0, Math.floor(left));
    const x1 = Math.min(this.width, Math.ceil(right));
    const y0 = Math.max(0, Math.floor(top));
    const y1 = Math.min(this.height, Math.ceil(bottom));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const coverage = Math.min(1, Math.max(0, coverageAt(x + 0.5, y + 0.5)));
        this.blend(x, y, color, coverage * opacity);
      }
    }
  }

  private blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (alpha <= 0) return;
    const i = (y * this.width + x) * 3;
    for (let c = 0; c < 3; c++) this.pixels[i + c] = Math.round(this.pixels[i + c] + (color[c] - this.pixels[i + c]) * alpha);
  }
}

/** Turns path commands into a flat list of edges (x0, y0, x1, y1, …), closing every subpath. */
function flatten(commands: readonly PathCommand[]): number[] {
  const edges: number[] = [];
  let startX = 0;
  let startY = 0;
  let x = 0;
  let y = 0;
  const lineTo = (toX: number, toY: number) => {
    if (toX !== x || toY !== y) edges.push(x, y, toX, toY);
    x = toX;
    y = toY;
  };
  const closeSubpath = () => lineTo(startX, startY);
  for (const command of commands) {
    switch (command.type) {
      case 'M':
        closeSubpath();
        startX = x = command.x;
        startY = y = command.y;
        break;
      case 'L':
        lineTo(command.x, command.y);
        break;
      case 'Q': {
        const [fromX, fromY] = [x, y];
        const bend = Math.hypot(fromX - 2 * command.x1 + command.x, fromY - 2 * command.y1 + command.y);
        const segments = curveSegments(bend / 4);
        for (let s = 1; s <= segments; s++) {
          const t = s / segments;
          const u = 1 - t;
          lineTo(u * u * fromX + 2 * u * t * command.x1 + t * t * command.x, u * u * fromY + 2 * u * t * command.y1 + t * t * command.y);
        }
        break;
      }
      case 'C': {
        const [fromX, fromY] = [x, y];
        const bend = Math.max(
          Math.hypot(fromX - 2 * command.x1 + command.x2, fromY - 2 * command.y1 + command.y2),
          Math.hypot(command.x1 - 2 * command.x2 + command.x, command.y1 - 2 * command.y2 + command.y),
        );
        const segments = curveSegments((3 * bend) / 4);
        for (let s = 1; s <= segments; s++) {
          const t = s / segments;
          const u = 1 - t;
          const [a, b, c, d] = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
          lineTo(a * fromX + b * command.x1 + c * command.x2 + d * command.x, a * fromY + b * command.y1 + c * command.y2 + d * command.y);
        }
        break;
      }
      case 'Z':
        closeSubpath();
        break;
    }
  }
  closeSubpath();
  return edges;
}

/** Segments needed so that a curve deviating `deviation` pixels from its chord stays within tolerance (deviation shrinks with n²). */
function curveSegments(deviation: number): number {
  return Math.min(MAX_CURVE_SEGMENTS, Math.max(1, Math.ceil(Math.sqrt(deviation / FLATTENING_TOLERANCE))));
}

/**
 * Adds the signed area between one edge and the right border of the buffer, row by row, to
 * `area` (coordinates relative to the buffer, all inside it). Downward edges add, upward edges
 * subtract, so a running sum along a row gives the winding coverage of each pixel.
 */
function accumulateEdge(area: Float32Array, stride: number, rows: number, x0: number, y0: number, x1: number, y1: number): void {
  if (y0 === y1) return;
  const direction = y0 < y1 ? 1 : -1;
  if (direction < 0) [x0, y0, x1, y1] = [x1, y1, x0, y0];
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = x0;
  const lastRow = Math.min(rows, Math.ceil(y1));
  for (let row = Math.floor(y0); row < lastRow; row++) {
    const line = row * stride;
    const dy = Math.min(row + 1, y1) - Math.max(row, y0);
    const xNext = x + dxdy * dy;
    const d = dy * direction;
    const left = Math.min(x, xNext);
    const right = Math.max(x, xNext);
    const leftCell = Math.floor(left);
    const rightCell = Math.ceil(right);
    if (rightCell <= leftCell + 1) {
      // The edge crosses one pixel of this row: split its area by where its midpoint falls.
      const fraction = 0.5 * (x + xNext) - leftCell;
      area[line + leftCell] += d - d * fraction;
      area[line + leftCell + 1] += d * fraction;
    } else {
      // The edge crosses several pixels: a triangle in the first, trapezoids in between, the rest after.
      const inverseWidth = 1 / (right - left);
      const leftFraction = left - leftCell;
      const firstArea = 0.5 * inverseWidth * (1 - leftFraction) * (1 - leftFraction);
      const rightFraction = right - rightCell + 1;
      const lastArea = 0.5 * inverseWidth * rightFraction * rightFraction;
      area[line + leftCell] += d * firstArea;
      if (rightCell === leftCell + 2) {
        area[line + leftCell + 1] += d * (1 - firstArea - lastArea);
      } else {
        const secondArea = inverseWidth * (1.5 - leftFraction);
        area[line + leftCell + 1] += d * (secondArea - firstArea);
        for (let cell = leftCell + 2; cell < rightCell - 1; cell++) area[line + cell] += d * inverseWidth;
        const beforeLast = secondArea + (rightCell - leftCell - 3) * inverseWidth;
        area[line + rightCell - 1] += d * (1 - beforeLast - lastArea);
      }
      area[line + rightCell] += d * lastArea;
    }
    x = xNext;
  }
}
