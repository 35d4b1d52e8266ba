/**
 * The bench:images section for microscopy: `count` distinct 4096×4096 16-bit grey LZW TIFFs
 * (a field of cells over camera-level background, ~1000 and ~4000 of 65535), imported from a
 * local folder, then each one's first preview timed through the image route as a labeller's
 * browser asks for it (uncached: the server has never decoded it), and again (cached).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

export const TIFF_SIDE = 4096;

/** A field of round cells placed by `seed`, with fine noise so every file differs. */
function cellField(seed: number): Uint16Array {
  const side = TIFF_SIDE;
  const data = new Uint16Array(side * side);
  let state = seed * 2654435761;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < data.length; i++) data[i] = 900 + ((i * 7 + seed * 13) % 201);
  for (let c = 0; c < 400; c++) {
    const cx = Math.floor(random() * side);
    const cy = Math.floor(random() * side);
    const r = 20 + Math.floor(random() * 40);
    for (let y = Math.max(0, cy - r); y < Math.min(side, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x < Math.min(side, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) data[y * side + x] = 3800 + ((x + y) % 400);
      }
    }
  }
  return data;
}

export async function writeMicroscopyTiffs(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const tiff = await sharp(cellField(i + 1), {
      raw: { width: TIFF_SIDE, height: TIFF_SIDE, channels: 1 },
    })
      .toColourspace('grey16')
      .tiff({ compression: 'lzw' })
      .toBuffer();
    await writeFile(path.join(dir, `field-${String(i).padStart(3, '0')}.tif`), tiff);
  }
}

export interface PreviewTimes {
  /** First request of each image, ms. */
  uncached: number[];
  /** Later requests of the same images, ms. */
  cached: number[];
}

async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const answer = await fetch(url);
  if (answer.status !== 200) throw new Error(`${url}: ${String(answer.status)}`);
  await answer.arrayBuffer();
  return performance.now() - started;
}

/** One request at a time, as one labeller's page loads them. */
export async function timePreviews(
  url: string,
  paths: string[],
  repeats: number,
): Promise<PreviewTimes> {
  const times: PreviewTimes = { uncached: [], cached: [] };
  for (const p of paths) {
    times.uncached.push(await timedGet(url + p));
    for (let r = 0; r < repeats; r++) times.cached.push(await timedGet(url + p));
  }
  return times;
}

export function summarise(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms (n ${String(sorted.length)})`;
}
