/**
 * The `mnist` package's 10,000 digits split per seed into a pool and a test set: balanced
 * (digits, noisy) or with a geometric 10:1 class profile in the pool (longtail). `fashion` is
 * the same balanced split of Fashion-MNIST (the `fashion-mnist` package, first 1,000 of each
 * class): 28×28 grey like the digits, but nothing in the loop was ever tuned on it.
 */
import { createRequire } from 'node:module';
import { createRng, deriveSeed, randomInt, shuffleInPlace } from '../rng';
import {
  classCounts,
  type BenchDataset,
  type ImageSet,
  type LabelNoise,
  type RawImage,
} from './types';

interface MnistDigit {
  length: number;
  get: (which: number) => number[];
}

const SIDE = 28;
const DIM = SIDE * SIDE;
const CLASSES = 10;
const DIGIT_NAMES = Array.from({ length: CLASSES }, (_, c) => String(c));
const FASHION_NAMES = [
  'T-shirt',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const FASHION_PER_CLASS = 1_000;
const POOL_SIZE = 4_000;
const TEST_SIZE = 2_000;
const LONGTAIL_RATIO = 10;
const NOISE_RATE = 0.15;

interface Digits {
  pixels: Uint8Array;
  /** Row numbers of each digit class. */
  byClass: number[][];
}

type Source = 'mnist' | 'fashion';
const loaded = new Map<Source, Digits>();

function loadSource(source: Source): Digits {
  let digits = loaded.get(source);
  if (!digits) {
    digits = source === 'mnist' ? loadDigits() : loadFashion();
    loaded.set(source, digits);
  }
  return digits;
}

function loadFashion(): Digits {
  const require = createRequire(import.meta.url);
  const pixels = new Uint8Array(CLASSES * FASHION_PER_CLASS * DIM);
  const byClass: number[][] = [];
  for (let c = 0; c < CLASSES; c++) {
    const { data } = require(`fashion-mnist/src/clothes/${c}.json`) as { data: number[][] };
    byClass.push([]);
    data.slice(0, FASHION_PER_CLASS).forEach((values, i) => {
      const row = c * FASHION_PER_CLASS + i;
      pixels.set(values, row * DIM);
      byClass[c]?.push(row);
    });
  }
  return { pixels, byClass };
}

function loadDigits(): Digits {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const n = mnist.reduce((s, d) => s + d.length, 0);
  const pixels = new Uint8Array(n * DIM);
  const byClass: number[][] = mnist.map(() => []);
  let row = 0;
  mnist.forEach((digit, label) => {
    for (let i = 0; i < digit.length; i++, row++) {
      const values = digit.get(i);
      for (let k = 0; k < DIM; k++) pixels[row * DIM + k] = Math.round((values[k] ?? 0) * 255);
      byClass[label]?.push(row);
    }
  });
  return { pixels, byClass };
}

function imageSet(digits: Digits, rows: number[], labelOf: Map<number, number>): ImageSet {
  const features = new Float32Array(rows.length * DIM);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    for (let k = 0; k < DIM; k++) features[i * DIM + k] = (digits.pixels[row * DIM + k] ?? 0) / 255;
    labels[i] = labelOf.get(row) ?? -1;
  });
  return { n: rows.length, labels, features, dim: DIM };
}

function rawDigit(digits: Digits, row: number): RawImage {
  return {
    data: digits.pixels.subarray(row * DIM, (row + 1) * DIM),
    width: SIDE,
    height: SIDE,
    channels: 1,
  };
}

/** Pool sizes per class: balanced, or geometric from the class with most digits down by 10×. */
function poolProfile(kind: 'balanced' | 'longtail', available: number[]): number[] {
  if (kind === 'balanced') return available.map(() => POOL_SIZE / CLASSES);
  // Most frequent = the class with most digits to spare, so the pool comes closest to 4,000.
  const rank = available.map((_, c) => c).sort((a, b) => (available[b] ?? 0) - (available[a] ?? 0));
  const share = rank.map((_, r) => LONGTAIL_RATIO ** (-r / (CLASSES - 1)));
  const total = share.reduce((s, x) => s + x, 0);
  let top = POOL_SIZE / total;
  rank.forEach((c, r) => {
    top = Math.min(top, (available[c] ?? 0) / (share[r] ?? 1));
  });
  const sizes = new Array<number>(CLASSES).fill(0);
  rank.forEach((c, r) => (sizes[c] = Math.floor(top * (share[r] ?? 0))));
  return sizes;
}

function buildSplit(source: Source, seed: number, kind: 'balanced' | 'longtail') {
  const digits = loadSource(source);
  const rng = createRng(deriveSeed(seed, kind === 'balanced' ? 1 : 2));
  const labelOf = new Map<number, number>();
  const perClassTest = TEST_SIZE / CLASSES; // the test set is balanced for every variant
  const shuffled = digits.byClass.map((rows, c) => {
    rows.forEach((r) => labelOf.set(r, c));
    return shuffleInPlace(rng, [...rows]);
  });
  const sizes = poolProfile(
    kind,
    shuffled.map((rows) => rows.length - perClassTest),
  );
  const testRows = shuffleInPlace(
    rng,
    shuffled.flatMap((rows) => rows.slice(0, perClassTest)),
  );
  const poolRows = shuffleInPlace(
    rng,
    shuffled.flatMap((rows, c) => rows.slice(perClassTest, perClassTest + (sizes[c] ?? 0))),
  );
  return { digits, poolRows, testRows, labelOf };
}

function digitsDataset(
  name: 'digits' | 'longtail' | 'noisy' | 'fashion',
  seed: number,
  kind: 'balanced' | 'longtail',
): BenchDataset {
  const source = name === 'fashion' ? 'fashion' : 'mnist';
  const { digits, poolRows, testRows, labelOf } = buildSplit(source, seed, kind);
  const pool = imageSet(digits, poolRows, labelOf);
  const test = imageSet(digits, testRows, labelOf);
  const counts = classCounts(pool.labels, CLASSES);
  const profile = kind === 'longtail' ? `, pool per class ${counts.join('/')}` : '';
  return {
    name,
    classNames: source === 'fashion' ? FASHION_NAMES : DIGIT_NAMES,
    pool,
    test,
    poolImage: (i) => rawDigit(digits, poolRows[i] ?? 0),
    testImage: (i) => rawDigit(digits, testRows[i] ?? 0),
    description: `${source === 'fashion' ? 'Fashion-MNIST' : 'MNIST'} 28×28 grey, pool ${pool.n}${profile}, test ${test.n} balanced`,
  };
}

function labelNoise(seed: number, labels: Int32Array): LabelNoise {
  const rng = createRng(deriveSeed(seed, 3));
  const wrong = new Uint8Array(labels.length);
  const wrongClass = new Int32Array(labels.length);
  labels.forEach((truth, i) => {
    wrong[i] = rng() < NOISE_RATE ? 1 : 0;
    wrongClass[i] = (truth + 1 + randomInt(rng, CLASSES - 1)) % CLASSES;
  });
  return { wrong, wrongClass, rate: NOISE_RATE };
}

export function buildDigits(seed: number): BenchDataset {
  return digitsDataset('digits', seed, 'balanced');
}

export function buildLongtail(seed: number): BenchDataset {
  return digitsDataset('longtail', seed, 'longtail');
}

export function buildNoisy(seed: number): BenchDataset {
  const ds = digitsDataset('noisy', seed, 'balanced');
  const noise = labelNoise(seed, ds.pool.labels);
  return {
    ...ds,
    noise,
    description: `${ds.description}; 1 labeller in 3 answers a wrong random class ${
      NOISE_RATE * 100
    }% of the time`,
  };
}

export function buildFashion(seed: number): BenchDataset {
  return digitsDataset('fashion', seed, 'balanced');
}
