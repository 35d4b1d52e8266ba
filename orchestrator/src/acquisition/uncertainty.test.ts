import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from './rng';
import {
  ACQUISITION_FUNCTION_NAMES,
  scoreUncertainty,
  type AcquisitionFunctionName,
} from './uncertainty';

const probabilistic = ACQUISITION_FUNCTION_NAMES.filter((n) => n !== 'random');

function score(name: AcquisitionFunctionName, rows: number[][], multiLabel = false): number[] {
  const numClasses = rows[0]?.length ?? 0;
  const probs = Float32Array.from(rows.flat());
  return Array.from(scoreUncertainty(name, { probs, numClasses, multiLabel, rng: createRng(1) }));
}

function near(actual: number | undefined, expected: number, label: string): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) < 1e-5,
    `${label}: ${actual} ≠ ${expected}`,
  );
}

test('a one-hot prediction scores 0 and a uniform one 1, for every probabilistic function', () => {
  for (const name of probabilistic) {
    for (const c of [2, 3, 10]) {
      const oneHot = Array.from({ length: c }, (_, k) => (k === c - 1 ? 1 : 0));
      const uniform = Array.from({ length: c }, () => 1 / c);
      const [hot, flat] = score(name, [oneHot, uniform]);
      near(hot, 0, `${name} one-hot C=${c}`);
      near(flat, 1, `${name} uniform C=${c}`);
    }
  }
});

test('known values', () => {
  const row = [0.5, 0.3, 0.2];
  near(score('least_confidence', [row])[0], (1 - 0.5) * 1.5, 'least confidence');
  near(score('margin', [row])[0], 1 - (0.5 - 0.3), 'margin');
  const h = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2)) / Math.log(3);
  near(score('entropy', [row])[0], h, 'entropy');
  // The top two are found wherever they sit in the row.
  near(score('margin', [[0.1, 0.2, 0.7]])[0], 1 - 0.5, 'margin, max last');
});

test('multi-label: per-label binary uncertainty averaged over labels', () => {
  // Labels at q = 0 and q = 1 are certain, q = 0.5 maximally uncertain.
  near(score('entropy', [[0, 1, 0.5]], true)[0], 1 / 3, 'entropy');
  near(score('margin', [[0, 1, 0.5]], true)[0], 1 / 3, 'margin');
  near(score('least_confidence', [[0.75, 0.25]], true)[0], 0.5, 'least confidence');
  const hq = -(0.9 * Math.log2(0.9) + 0.1 * Math.log2(0.1));
  near(score('entropy', [[0.9]], true)[0], hq, 'binary entropy of one label');
});

test('random is seeded, in [0, 1), and ignores the probabilities', () => {
  const probs = new Float32Array(1000 * 4).fill(0.25);
  const a = scoreUncertainty('random', {
    probs,
    numClasses: 4,
    multiLabel: false,
    rng: createRng(7),
  });
  const b = scoreUncertainty('random', {
    probs,
    numClasses: 4,
    multiLabel: false,
    rng: createRng(7),
  });
  assert.equal(a.length, 1000);
  assert.deepEqual(a, b);
  assert.ok(a.every((s) => s >= 0 && s < 1));
  assert.ok(new Set(a).size > 990, 'scores are not constant');
});

test('rejects probabilities that do not fit the class count', () => {
  assert.throws(
    () =>
      scoreUncertainty('entropy', {
        probs: new Float32Array(7),
        numClasses: 3,
        multiLabel: false,
        rng: createRng(1),
      }),
    /not a multiple of 3/,
  );
  assert.throws(
    () =>
      scoreUncertainty('margin', {
        probs: new Float32Array(4),
        numClasses: 1,
        multiLabel: false,
        rng: createRng(1),
      }),
    /numClasses/,
  );
});
