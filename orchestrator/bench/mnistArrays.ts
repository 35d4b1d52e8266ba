/** The `mnist` package's 10,000 digits as flat uint8 arrays (28x28 grey, 0..255). */
import { createRequire } from 'node:module';
import type { LayersModel } from '@tensorflow/tfjs';
import { createRng, randomInt } from '../src/acquisition/rng';
import type { TensorFlow } from '../src/backend/chooseBackend';
import { DEFAULT_INPUT_SPEC } from '../src/features/inputSpec';
import type { Predictor } from '../src/model/predictInBatches';
import { trainClassifier } from '../src/model/trainClassifier';

interface MnistDigit {
  length: number;
  get: (which: number) => number[];
}

export interface DigitArrays {
  n: number;
  pixels: Uint8Array;
  labels: Int32Array;
}

export function loadMnistArrays(): DigitArrays {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const n = mnist.reduce((s, d) => s + d.length, 0);
  const pixels = new Uint8Array(n * 784);
  const labels = new Int32Array(n);
  let row = 0;
  mnist.forEach((digit, label) => {
    for (let i = 0; i < digit.length; i++, row++) {
      const values = digit.get(i);
      for (let k = 0; k < 784; k++) pixels[row * 784 + k] = Math.round((values[k] ?? 0) * 255);
      labels[row] = label;
    }
  });
  return { n, pixels, labels };
}

export function gatherPixels(source: Uint8Array, rows: ArrayLike<number>, len = 784): Uint8Array {
  const out = new Uint8Array(rows.length * len);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] ?? 0;
    out.set(source.subarray(i * len, (i + 1) * len), r * len);
  }
  return out;
}

export function oneHot(labels: Int32Array, rows: ArrayLike<number>, c = 10): Float32Array {
  const out = new Float32Array(rows.length * c);
  for (let r = 0; r < rows.length; r++) out[r * c + (labels[rows[r] ?? 0] ?? 0)] = 1;
  return out;
}

/** Share of `rows` whose most probable class is their true digit. */
export function testAccuracy(predictor: Predictor, data: DigitArrays, rows: number[]): number {
  const { probs } = predictor.predict(gatherPixels(data.pixels, rows), rows.length);
  let correct = 0;
  rows.forEach((row, i) => {
    let best = 0;
    for (let c = 1; c < 10; c++)
      if ((probs[i * 10 + c] ?? 0) > (probs[i * 10 + best] ?? 0)) best = c;
    if (best === data.labels[row]) correct++;
  });
  return correct / rows.length;
}

/** Row numbers 0..n-1 in a seeded random order (each bench takes its test set from the front). */
export function shuffledRows(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order;
}

/** The orchestrator's dense classifier, trained on `rows` of the digits as the product does. */
export function trainOnDigits(
  tf: TensorFlow,
  data: DigitArrays,
  rows: number[],
  opts: {
    epochs: number;
    seed: number;
    maxShift?: number;
    batchSize?: number;
    averageShare?: number;
  },
): Promise<LayersModel> {
  return trainClassifier({
    tf,
    architecture: 'dense',
    spec: DEFAULT_INPUT_SPEC,
    numClasses: 10,
    multiLabel: false,
    pixels: gatherPixels(data.pixels, rows),
    targets: oneHot(data.labels, rows),
    ...opts,
  });
}
