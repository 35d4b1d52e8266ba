import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectKCenter } from './kcenter';
import { createRng, type Rng } from './rng';

function randomPoints(rng: Rng, n: number, dim: number): Float32Array {
  return new Float32Array(n * dim).map(() => rng() * 2 - 1);
}

/** Exact distance between two rows after normalising both (as selectKCenter does). */
function unitDistance(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let na = 0;
  let nb = 0;
  for (let k = 0; k < dim; k++) {
    na += (a[i * dim + k] ?? 0) ** 2;
    nb += (b[j * dim + k] ?? 0) ** 2;
  }
  let d = 0;
  for (let k = 0; k < dim; k++) {
    d += ((a[i * dim + k] ?? 0) / Math.sqrt(na) - (b[j * dim + k] ?? 0) / Math.sqrt(nb)) ** 2;
  }
  return Math.sqrt(d);
}

test('selected ∪ labelled respect min_distance, and no labelled point is selected', () => {
  const dim = 8;
  const rng = createRng(3);
  const candidates = randomPoints(rng, 2000, dim);
  const labelled = new Float32Array(30 * dim);
  // The labelled set is 30 of the candidates: selecting one of them would be a bug.
  for (let j = 0; j < 30; j++)
    labelled.set(candidates.subarray(j * 50 * dim, (j * 50 + 1) * dim), j * dim);
  const minDistance = 0.6;
  const { indices, distances } = selectKCenter({
    candidates,
    labelled,
    dim,
    nSamples: 500,
    minDistance,
  });
  assert.ok(indices.length > 10, `selected ${indices.length}`);
  for (const i of indices) {
    for (let j = 0; j < 30; j++) {
      assert.ok(
        unitDistance(candidates, i, labelled, j, dim) >= minDistance - 1e-6,
        `pick ${i} near labelled ${j}`,
      );
    }
  }
  for (let a = 0; a < indices.length; a++) {
    for (let b = a + 1; b < indices.length; b++) {
      const d = unitDistance(candidates, indices[a] ?? 0, candidates, indices[b] ?? 0, dim);
      assert.ok(d >= minDistance - 1e-6, `picks ${indices[a]} and ${indices[b]} are ${d} apart`);
    }
  }
  assert.equal(new Set(indices).size, indices.length, 'no index twice');
  for (const d of distances) assert.ok(d >= minDistance - 1e-6);
  // Greedy k-center: each pick is the farthest left, so the distances never increase.
  for (let a = 1; a < distances.length; a++)
    assert.ok((distances[a] ?? 0) <= (distances[a - 1] ?? 0) + 1e-6);
});

test('a large min_distance stops early; min_distance 0 selects nSamples', () => {
  const dim = 16;
  const candidates = randomPoints(createRng(5), 3000, dim);
  const early = selectKCenter({ candidates, dim, nSamples: 1000, minDistance: 1.3 });
  assert.ok(
    early.indices.length > 0 && early.indices.length < 100,
    `selected ${early.indices.length}`,
  );
  const all = selectKCenter({ candidates, dim, nSamples: 1000, minDistance: 0 });
  assert.equal(all.indices.length, 1000);
});

test('N < nSamples selects every candidate once, duplicates included when min_distance is 0', () => {
  const dim = 4;
  const point = [1, 2, 3, 4];
  const candidates = Float32Array.from([...point, ...point, ...point, 0, 0, 0, 1, -1, 0, 0, 0]);
  const { indices } = selectKCenter({ candidates, dim, nSamples: 10 });
  assert.deepEqual(
    [...indices].sort((a, b) => a - b),
    [0, 1, 2, 3, 4],
  );
  // With a threshold, a duplicate of a centre (distance 0) is never selected.
  const distinct = selectKCenter({ candidates, dim, nSamples: 10, minDistance: 0.01 });
  assert.equal(distinct.indices.length, 3);
});

test('with no labelled centre the first pick is the highest weight, else index 0', () => {
  const dim = 3;
  const candidates = randomPoints(createRng(9), 50, dim);
  assert.equal(selectKCenter({ candidates, dim, nSamples: 1 }).indices[0], 0);
  const values = new Float32Array(50).fill(0.1);
  values[17] = 0.9;
  const first = selectKCenter({ candidates, dim, nSamples: 2, weights: { values, strength: 1 } });
  assert.equal(first.indices[0], 17);
  assert.equal(first.distances[0], Infinity);
});

test('weights bias the picks toward uncertain samples', () => {
  const dim = 8;
  const n = 4000;
  const candidates = randomPoints(createRng(11), n, dim);
  // The first half is uncertain, the second half nearly certain.
  const values = new Float32Array(n).map((_, i) => (i < n / 2 ? 0.9 : 0.05));
  const weighted = selectKCenter({
    candidates,
    dim,
    nSamples: 200,
    weights: { values, strength: 1 },
  });
  const plain = selectKCenter({ candidates, dim, nSamples: 200 });
  const share = (idx: Int32Array): number => idx.filter((i) => i < n / 2).length / idx.length;
  assert.ok(share(weighted.indices) > 0.9, `weighted share ${share(weighted.indices)}`);
  assert.ok(share(plain.indices) < 0.7, `unweighted share ${share(plain.indices)}`);
  // A negative strength inverts the preference.
  const inverted = selectKCenter({
    candidates,
    dim,
    nSamples: 200,
    weights: { values, strength: -1 },
  });
  assert.ok(share(inverted.indices) < 0.1, `inverted share ${share(inverted.indices)}`);
});

test('class balance pulls the selection toward the target distribution', () => {
  const dim = 8;
  const n = 3000;
  const candidates = randomPoints(createRng(13), n, dim);
  // 90% of the pool is predicted class 0.
  const predictedClass = new Int32Array(n).map((_, i) => (i % 10 === 0 ? 1 : 0));
  const target = Float64Array.from([0.5, 0.5]);
  const count1 = (idx: Int32Array): number => idx.filter((i) => predictedClass[i] === 1).length;
  const plain = selectKCenter({ candidates, dim, nSamples: 100 });
  const balanced = selectKCenter({
    candidates,
    dim,
    nSamples: 100,
    balance: { predictedClass, target, strength: 4 },
  });
  assert.ok(count1(plain.indices) < 25, `unbalanced picks of class 1: ${count1(plain.indices)}`);
  assert.ok(
    count1(balanced.indices) >= 40,
    `balanced picks of class 1: ${count1(balanced.indices)}`,
  );
});

test('bad inputs are rejected', () => {
  const candidates = new Float32Array(12);
  assert.throws(() => selectKCenter({ candidates, dim: 5, nSamples: 1 }), /multiple of 5/);
  assert.throws(
    () => selectKCenter({ candidates, dim: 3, nSamples: 1, minDistance: 2.5 }),
    /minDistance/,
  );
  assert.throws(
    () =>
      selectKCenter({
        candidates,
        dim: 3,
        nSamples: 1,
        weights: { values: new Float32Array(3), strength: 1 },
      }),
    /weights/,
  );
});

/** Textbook greedy k-center in doubles, no pruning: the reference for the fast one. */
function bruteForce(
  candidates: Float32Array,
  labelled: Float32Array,
  weights: Float32Array,
  dim: number,
  k: number,
): number[] {
  const n = candidates.length / dim;
  const minDist = Array.from({ length: n }, (_, i) => {
    let best = 2;
    for (let j = 0; j < labelled.length / dim; j++)
      best = Math.min(best, unitDistance(candidates, i, labelled, j, dim));
    return best;
  });
  const picks: number[] = [];
  while (picks.length < k) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (picks.includes(i)) continue;
      if (
        best < 0 ||
        (minDist[i] ?? 0) * (weights[i] ?? 0) > (minDist[best] ?? 0) * (weights[best] ?? 0)
      )
        best = i;
    }
    picks.push(best);
    for (let i = 0; i < n; i++)
      minDist[i] = Math.min(minDist[i] ?? 0, unitDistance(candidates, i, candidates, best, dim));
  }
  return picks;
}

test('the pruned greedy makes the same picks as a brute-force greedy', () => {
  const dim = 6;
  const rng = createRng(17);
  // Clustered points, where the triangle-inequality pruning skips most of the pool.
  const centres = randomPoints(rng, 12, dim);
  const cluster = (n: number): Float32Array =>
    new Float32Array(n * dim).map(
      (_, x) => (centres[(Math.floor(x / dim) % 12) * dim + (x % dim)] ?? 0) + (rng() - 0.5) * 0.3,
    );
  const candidates = cluster(600);
  const labelled = cluster(15);
  const values = new Float32Array(600).map(() => 0.2 + rng() * 0.8);
  const fast = selectKCenter({
    candidates,
    labelled,
    dim,
    nSamples: 80,
    weights: { values, strength: 1 },
  });
  assert.deepEqual([...fast.indices], bruteForce(candidates, labelled, values, dim, 80));
});

test('the lazy picks equal the eager loop (a balance term of strength 0 forces it)', () => {
  const dim = 16;
  const rng = createRng(11);
  for (const minDistance of [0, 0.9]) {
    const candidates = randomPoints(rng, 3000, dim);
    const labelled = randomPoints(rng, 40, dim);
    const weights = { values: new Float32Array(3000).map(() => rng()), strength: 1 };
    const input = { candidates, labelled, dim, nSamples: 300, minDistance, weights };
    const lazy = selectKCenter(input);
    const eager = selectKCenter({
      ...input,
      balance: {
        predictedClass: new Int32Array(3000),
        target: new Float64Array([1]),
        strength: 0,
      },
    });
    assert.ok(lazy.indices.length > 10);
    assert.deepEqual([...lazy.indices], [...eager.indices]);
    assert.deepEqual([...lazy.distances], [...eager.distances]);
  }
});
