/**
 * The data sets of the cold-start bench as one shape: uint8 pixels (HWC) of every image, their
 * labels, the image size and which rows are the pool and which the test set.
 * - digits, longtail: the `mnist` package's 10,000 digits (28×28 grey), 2,000 test rows and a
 *   pool of 4,000 (longtail: class c kept with share 0.1^(c/9)), split per seed;
 * - shapes: test/bench/al's procedural colour shapes and textures (64×64 RGB drawn per seed,
 *   area-averaged to 32×32×3 as the product's colour input spec does), pool 4,000, test 2,000;
 * - fashion: bench:al's Fashion-MNIST split (28×28 grey), pool 4,000, test 2,000;
 * - cifar: bench:al's CIFAR-10 split (32×32 RGB photographs), pool 4,000, test 2,000.
 */
import { z } from 'zod';
import { createRng, randomInt, type Rng } from '../src/acquisition/rng';
import type { InputSpec } from '../src/features/inputSpec';
import { buildCifar } from '../../test/bench/al/datasets/cifar';
import { buildFashion } from '../../test/bench/al/datasets/mnist';
import { buildShapes } from '../../test/bench/al/datasets/shapes';
import type { BenchDataset } from '../../test/bench/al/datasets/types';
import { loadMnistArrays, type DigitArrays } from './mnistArrays';

/** The held-out share the importer draws by content hash (26/256, server's evalSplit.ts). */
export const HELD_OUT_SHARE = 26 / 256;

export const VARIANTS = ['digits', 'longtail', 'shapes', 'fashion', 'cifar'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The array benches' `--variants a,b` option: every variant when omitted. */
export const variantsOption = z
  .string()
  .transform((s) => s.split(','))
  .pipe(z.array(z.enum(VARIANTS)))
  .default([...VARIANTS]);

export interface ColdStartData {
  n: number;
  /** Inputs per image: spec.width × spec.height × spec.channels. */
  dim: number;
  spec: InputSpec;
  /** n × dim, 0..255. */
  pixels: Uint8Array;
  labels: Int32Array;
  pool: number[];
  test: number[];
}

export function shuffle(rows: number[], rng: Rng): number[] {
  const a = [...rows];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [a[i], a[j]] = [a[j] ?? 0, a[i] ?? 0];
  }
  return a;
}

function splitDigits(data: DigitArrays, seed: number, longtail: boolean) {
  const rng = createRng(seed);
  const all = shuffle([...Array(data.n).keys()], rng);
  const test = all.slice(0, 2000);
  let rest = all.slice(2000);
  if (longtail) {
    // class c keeps a share 0.1^(c/9): 10:1 between the most and least frequent class
    rest = rest.filter((i) => rng() < 0.1 ** ((data.labels[i] ?? 0) / 9));
  }
  return { pool: rest.slice(0, 4000), test };
}

let digits: DigitArrays | undefined;

/** A bench:al data set's pool and test rows, its judge inputs (0..1) back to bytes. */
function fromBenchDataset(ds: BenchDataset, spec: InputSpec): ColdStartData {
  const n = ds.pool.n + ds.test.n;
  const dim = ds.pool.dim;
  const pixels = new Uint8Array(n * dim);
  ds.pool.features.forEach((v, i) => (pixels[i] = Math.round(v * 255)));
  ds.test.features.forEach((v, i) => (pixels[ds.pool.features.length + i] = Math.round(v * 255)));
  const labels = new Int32Array(n);
  labels.set(ds.pool.labels, 0);
  labels.set(ds.test.labels, ds.pool.n);
  const rows = [...Array(n).keys()];
  return {
    n,
    dim,
    spec,
    pixels,
    labels,
    pool: rows.slice(0, ds.pool.n),
    test: rows.slice(ds.pool.n),
  };
}

/** The variant's images and its pool/test split for one seed. */
export async function loadColdStartData(variant: Variant, seed: number): Promise<ColdStartData> {
  if (variant === 'cifar') {
    return fromBenchDataset(await buildCifar(seed, 32), { width: 32, height: 32, channels: 3 });
  }
  if (variant === 'shapes') {
    return fromBenchDataset(buildShapes(seed, 32), { width: 32, height: 32, channels: 3 });
  }
  if (variant === 'fashion') {
    return fromBenchDataset(buildFashion(seed), { width: 28, height: 28, channels: 1 });
  }
  digits ??= loadMnistArrays();
  const { pool, test } = splitDigits(digits, seed, variant === 'longtail');
  return {
    ...digits,
    dim: 784,
    spec: { width: 28, height: 28, channels: 1 },
    pool,
    test,
  };
}
