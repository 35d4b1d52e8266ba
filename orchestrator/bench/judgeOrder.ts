/**
 * The array benches' judge is bench:al's (test/bench/al/judge.ts: one hidden layer of 256 relu
 * units, dropout, Adam, 30 epochs of 16, mean over three initialisations drawn from the seed),
 * so that an order judged here and the same order judged by bench:al get the same accuracy.
 * Colour images are area-averaged to 16×16 first, as bench:al's default `--judge-side` does.
 */
import { judgeAccuracy, JUDGE_DEFAULTS } from '../../test/bench/al/judge';
import { deriveSeed } from '../../test/bench/al/rng';
import type { ImageSet } from '../../test/bench/al/datasets/types';
import type { ColdStartData } from './coldStartData';

const JUDGE_INITS = 3;
/** Side colour images are averaged down to for the judge. */
const COLOUR_SIDE = 16;

/** One row's judge input in 0..1 (colour: area-averaged to COLOUR_SIDE). */
function judgeInput(data: ColdStartData, row: number): Float32Array {
  const { spec, dim, pixels } = data;
  const source = pixels.subarray(row * dim, (row + 1) * dim);
  if (spec.channels === 1 || spec.width <= COLOUR_SIDE) {
    return Float32Array.from(source, (v) => v / 255);
  }
  const f = spec.width / COLOUR_SIDE;
  const out = new Float32Array(COLOUR_SIDE * COLOUR_SIDE * spec.channels);
  for (let y = 0; y < spec.height; y++) {
    for (let x = 0; x < spec.width; x++) {
      const target = (Math.floor(y / f) * COLOUR_SIDE + Math.floor(x / f)) * spec.channels;
      for (let c = 0; c < spec.channels; c++) {
        const v = source[(y * spec.width + x) * spec.channels + c] ?? 0;
        out[target + c] = (out[target + c] ?? 0) + v / 255 / (f * f);
      }
    }
  }
  return out;
}

function imageSet(data: ColdStartData, rows: readonly number[]): ImageSet {
  const first = judgeInput(data, rows[0] ?? 0);
  const features = new Float32Array(rows.length * first.length);
  rows.forEach((row, r) => {
    features.set(judgeInput(data, row), r * first.length);
  });
  return {
    n: rows.length,
    dim: first.length,
    features,
    labels: Int32Array.from(rows, (row) => data.labels[row] ?? 0),
  };
}

const testSets = new WeakMap<ColdStartData, ImageSet>();

/** Test accuracy of the judge trained on `train` (rows of `data`), mean over its inits. */
export async function judgeRows(
  data: ColdStartData,
  train: number[],
  test: number[],
  seed: number,
): Promise<number> {
  let testSet = testSets.get(data);
  if (!testSet) {
    testSet = imageSet(data, test);
    testSets.set(data, testSet);
  }
  const trainSet = imageSet(data, train);
  let acc = 0;
  for (let j = 0; j < JUDGE_INITS; j++) {
    acc += await judgeAccuracy(trainSet, testSet, 10, deriveSeed(seed, 21, j), JUDGE_DEFAULTS);
  }
  return acc / JUDGE_INITS;
}
