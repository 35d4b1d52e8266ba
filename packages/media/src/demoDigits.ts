import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { Datasource } from './datasources/types';

/** The demo project seeded on first start: MNIST digits, labels '0'..'9' in button order. */
export const DIGITS_PROJECT_NAME = 'digits';
export const DIGIT_LABELS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const SIDE = 28;

/** Where the demo PNGs live: <dataDir>/demo/digits/<label>/<index>.png. */
export function digitsDemoFolder(dataDir: string): string {
  return path.resolve(dataDir, 'demo', DIGITS_PROJECT_NAME);
}

/**
 * The true label of a demo image, read from its folder name; undefined for any other path.
 * Benchmarks and tests use it to play a labeller who always answers correctly.
 */
export function trueDigitLabelOf(sourceUri: string): string | undefined {
  const parts = sourceUri.split(/[\\/]/);
  const label = parts.at(-2);
  if (parts.at(-3) !== DIGITS_PROJECT_NAME || label === undefined) return undefined;
  return (DIGIT_LABELS as readonly string[]).includes(label) ? label : undefined;
}

/** The part of the `mnist` package (no types shipped) we use: per digit, 784 floats 0..1 each. */
interface MnistDigit {
  length: number;
  get: (which: number) => number[];
}

function loadMnist(): MnistDigit[] {
  // Loaded only when asked for: it parses 21 MB of JSON.
  return createRequire(import.meta.url)('mnist') as MnistDigit[];
}

/**
 * Which digits to write: round-robin over the classes, so any count is close to balanced, taking
 * each class's images in the package's order (the same files on every machine). The package has
 * 863..1127 images per class, 10,000 in all.
 */
function pickDigits(mnist: MnistDigit[], count: number): { label: number; which: number }[] {
  const picks: { label: number; which: number }[] = [];
  for (let which = 0; picks.length < count; which++) {
    const before = picks.length;
    for (let label = 0; label < DIGIT_LABELS.length && picks.length < count; label++) {
      if (which < (mnist[label]?.length ?? 0)) picks.push({ label, which });
    }
    if (picks.length === before) break; // every class exhausted
  }
  return picks;
}

function digitPng(pixels: number[]): Promise<Buffer> {
  const gray = Buffer.from(pixels.map((v) => Math.round(v * 255)));
  // Without b-w sharp writes a 3-channel PNG from 1-channel input.
  return sharp(gray, { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

/** Writes `count` MNIST digits as `<label>/<index>.png` into the datasource, two at a time. */
export async function writeDigitImages(
  datasource: Datasource,
  count: number,
  signal?: AbortSignal,
): Promise<void> {
  const mnist = loadMnist();
  const picks = pickDigits(mnist, count);
  let next = 0;
  const worker = async () => {
    while (next < picks.length) {
      const pick = picks[next++];
      if (!pick) return;
      signal?.throwIfAborted();
      const digit = mnist[pick.label];
      if (!digit) throw new Error(`mnist has no digit ${pick.label}`);
      const name = `${pick.label}/${String(pick.which).padStart(4, '0')}.png`;
      await datasource.write(name, await digitPng(digit.get(pick.which)));
    }
  };
  await Promise.all([worker(), worker()]);
}
