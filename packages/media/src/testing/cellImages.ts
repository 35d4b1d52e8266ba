/**
 * Synthetic 16-bit microscopy: a dark background with bright round cells, at the levels a
 * real camera gives (~1000 and ~4000 of 65535), so libvips's plain cast to 8 bits is nearly
 * black. Shared by the media tests (display) and the orchestrator's (features), which must
 * agree on the stretch.
 */
import sharp from 'sharp';

export const CELL_SIDE = 64;
const BACKGROUND = 1000;
const CELL = 4000;
/** Deterministic ± noise, so percentiles are not taken over two flat levels only. */
const NOISE = 100;
const CELLS: readonly { x: number; y: number; r: number }[] = [
  { x: 16, y: 16, r: 8 },
  { x: 44, y: 22, r: 10 },
  { x: 24, y: 46, r: 9 },
];
/** Pixels this close to a cell's rim belong to neither side (resizing blurs them). */
const RIM = 2;

function cellDistance(x: number, y: number): number {
  return Math.min(...CELLS.map((c) => Math.hypot(x - c.x, y - c.y) - c.r));
}

/** Well inside a cell. */
export function isCell(x: number, y: number): boolean {
  return cellDistance(x, y) < -RIM;
}

/** Well outside every cell. */
export function isBackground(x: number, y: number): boolean {
  return cellDistance(x, y) > RIM;
}

/** Grey pixels, scaled by `gain` per image (a channel of an RGB image gets its own). */
export function cellImage16(gain = 1): Uint16Array {
  const data = new Uint16Array(CELL_SIDE * CELL_SIDE);
  for (let y = 0; y < CELL_SIDE; y++) {
    for (let x = 0; x < CELL_SIDE; x++) {
      const noise = ((x * 31 + y * 17) % 21) - 10; // -10..10
      const level = cellDistance(x, y) < 0 ? CELL : BACKGROUND;
      data[y * CELL_SIDE + x] = Math.round((level + (noise * NOISE) / 10) * gain);
    }
  }
  return data;
}

/** The cells as a one-channel 16-bit TIFF. */
export function cellTiff16(compression: 'lzw' | 'deflate' | 'none' = 'lzw'): Promise<Buffer> {
  return sharp(cellImage16(), { raw: { width: CELL_SIDE, height: CELL_SIDE, channels: 1 } })
    .toColourspace('grey16')
    .tiff({ compression })
    .toBuffer();
}

/** The cells as a three-channel 16-bit TIFF, each channel at a different brightness. */
export function rgbCellTiff16(): Promise<Buffer> {
  const gains = [1, 0.5, 2];
  const planes = gains.map((g) => cellImage16(g));
  const data = new Uint16Array(CELL_SIDE * CELL_SIDE * 3);
  for (let i = 0; i < CELL_SIDE * CELL_SIDE; i++) {
    for (let c = 0; c < 3; c++) data[i * 3 + c] = planes[c]?.[i] ?? 0;
  }
  return sharp(data, { raw: { width: CELL_SIDE, height: CELL_SIDE, channels: 3 } })
    .toColourspace('rgb16')
    .tiff({ compression: 'deflate' })
    .toBuffer();
}

/** The cells mirrored left to right: where page 1 of cellStackTiff16 has its cells. */
export function isMirroredCell(x: number, y: number): boolean {
  return isCell(CELL_SIDE - 1 - x, y);
}

/** Well outside every cell of both pages of cellStackTiff16. */
export function isBackgroundOfStack(x: number, y: number): boolean {
  return isBackground(x, y) && isBackground(CELL_SIDE - 1 - x, y);
}

/**
 * A two-page 16-bit grey TIFF: page 0 the cells, page 1 the same cells mirrored left to right
 * (a z-stack whose planes show different cells).
 */
export function cellStackTiff16(compression: 'lzw' | 'deflate' = 'lzw'): Promise<Buffer> {
  const side = CELL_SIDE;
  const first = cellImage16();
  const stack = new Uint16Array(side * side * 2);
  stack.set(first);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      stack[side * side + y * side + x] = first[y * side + (side - 1 - x)] ?? 0;
    }
  }
  return sharp(stack, { raw: { width: side, height: side * 2, channels: 1, pageHeight: side } })
    .toColourspace('grey16')
    .tiff({ compression })
    .toBuffer();
}

/** Mean of one channel of interleaved 8-bit pixels over the pixels `where` picks. */
export function meanOver(
  pixels: Uint8Array,
  channels: number,
  channel: number,
  where: (x: number, y: number) => boolean,
  side = CELL_SIDE,
): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (!where(x, y)) continue;
      sum += pixels[(y * side + x) * channels + channel] ?? 0;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}
