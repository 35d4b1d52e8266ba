import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeAgreement } from './agreement';
import { group, simulateCrowd } from '@al/labels/testing';

const close = (actual: number | null, expected: number, what: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${String(actual)}`);
};

test('two labellers, four items: Cohen’s and Fleiss’ kappa and specific agreement by hand', () => {
  // A: 0 0 1 1, B: 0 1 1 1.
  const a = computeAgreement(
    group(
      [
        [
          [0, 0],
          [1, 0],
        ],
        [
          [0, 0],
          [1, 1],
        ],
        [
          [0, 1],
          [1, 1],
        ],
        [
          [0, 1],
          [1, 1],
        ],
      ],
      2,
      2,
    ),
  );
  assert.equal(a.items, 4);
  const pair = a.pairs[0];
  assert.ok(pair);
  assert.equal(pair.shared, 4);
  close(pair.agreement, 0.75, 'observed');
  // Chance: 0.5·0.25 + 0.5·0.75 = 0.5 → (0.75 − 0.5) / 0.5.
  close(pair.kappa, 0.5, 'Cohen');
  // Pooled shares 3/8 and 5/8: chance 34/64; (0.75 − 34/64) / (1 − 34/64).
  close(a.fleissKappa, (0.75 - 34 / 64) / (1 - 34 / 64), 'Fleiss');
  close(a.perClass[0]?.specificAgreement ?? null, 2 / 3, 'class 0');
  close(a.perClass[1]?.specificAgreement ?? null, 0.8, 'class 1');
  close(a.perLabeller[0]?.agreement ?? null, 0.75, 'A agrees with others');
  close(a.perLabeller[0]?.kappa ?? null, 0.5, 'A’s kappa');
});

test('a simulated crowd: the random labeller stands out, careful ones agree', () => {
  const classes = 10;
  const accuracy = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 1 / classes];
  const { answers } = simulateCrowd({ seed: 7, items: 2000, classes, accuracy, overlap: 3 });
  const a = computeAgreement(answers);
  const careful = a.perLabeller[0];
  const careless = a.perLabeller[6];
  const random = a.perLabeller[9];
  assert.ok(
    careful?.kappa !== null && (careful?.kappa ?? 0) > 0.6,
    `careful ${String(careful?.kappa)}`,
  );
  assert.ok((careless?.kappa ?? 1) < (careful?.kappa ?? 0), 'careless below careful');
  assert.ok(
    random?.kappa !== null && Math.abs(random?.kappa ?? 1) < 0.1,
    `random ${String(random?.kappa)}`,
  );
  assert.ok((random?.agreement ?? 1) < 0.2 && (careful?.agreement ?? 0) > 0.7);
  assert.ok(a.fleissKappa !== null && a.fleissKappa > 0.4 && a.fleissKappa < 0.9);
  assert.equal(a.pairs.length, 45, 'every pair of ten met');
});

test('single answers only: no item to agree on', () => {
  const a = computeAgreement(group([[[0, 1]], [[1, 0]]], 2, 2));
  assert.equal(a.items, 0);
  assert.equal(a.fleissKappa, null);
  assert.deepEqual(a.pairs, []);
  const only = a.perLabeller[0];
  assert.ok(only);
  assert.deepEqual([only.agreement, only.answers], [null, 1]);
});
