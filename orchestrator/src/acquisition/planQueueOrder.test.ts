import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planQueueOrder, uncertaintyStrength } from './planQueueOrder';
import { createRng } from './rng';
import { parseAcquisitionSettings } from '@al/contract';

const n = 3000;
const numClasses = 4;
const dim = 8;
const rng = createRng(21);
// Softmax rows from sharp (certain) to flat (uncertain) at random.
const probs = new Float32Array(n * numClasses);
for (let i = 0; i < n; i++) {
  const sharpness = rng() * 8;
  let sum = 0;
  for (let c = 0; c < numClasses; c++)
    sum += probs[i * numClasses + c] = Math.exp(rng() * sharpness);
  for (let c = 0; c < numClasses; c++)
    probs[i * numClasses + c] = (probs[i * numClasses + c] ?? 0) / sum;
}
const embeddings = new Float32Array(n * dim).map(() => rng() * 2 - 1);

test('without diversity the head of the queue is the top scores; with it, drawn from the candidate pool', () => {
  // Labels enough for uncertainty at full strength (250 per class).
  const base = { probs, numClasses, multiLabel: false, embeddings, dim, labelledCount: 1000 };
  const settings = parseAcquisitionSettings({ diversity: false, n_samples: 50, shuffle_prop: 0 });
  const plain = planQueueOrder({ ...base, settings, rng: createRng(1) });
  const sortedScores = [...plain.scores].sort((a, b) => b - a);
  assert.deepEqual(
    [...plain.selected].map((i) => plain.scores[i]),
    sortedScores.slice(0, 50),
  );

  const diverse = planQueueOrder({
    ...base,
    settings: parseAcquisitionSettings({ n_samples: 50, candidate_pool: 300, shuffle_prop: 0 }),
    rng: createRng(1),
  });
  assert.equal(diverse.selected.length, 50);
  const poolFloor = sortedScores[299] ?? 0;
  assert.ok([...diverse.selected].every((i) => (diverse.scores[i] ?? 0) >= poolFloor));
  assert.notDeepEqual([...diverse.selected], [...plain.selected], 'diversity changes the picks');
  // The selection heads the queue, and the queue's head is more uncertain than its tail.
  const order = Array.from(diverse.priorities.keys()).sort(
    (a, b) => (diverse.priorities[b] ?? 0) - (diverse.priorities[a] ?? 0),
  );
  assert.deepEqual(order.slice(0, 50), [...diverse.selected]);
  const mean = (idx: number[]): number =>
    idx.reduce((s, i) => s + (diverse.scores[i] ?? 0), 0) / idx.length;
  assert.ok(mean(order.slice(0, 500)) > mean(order.slice(-500)) + 0.2);
});

test('uncertainty enters the weights only as labels per class grow', () => {
  const settings = parseAcquisitionSettings({
    uncertainty_after_per_class: 10,
    uncertainty_full_per_class: 40,
  });
  assert.equal(uncertaintyStrength(settings, 40, 4), 0);
  assert.equal(uncertaintyStrength(settings, 100, 4), 0.5);
  assert.equal(uncertaintyStrength(settings, 160, 4), 1);
  assert.equal(uncertaintyStrength(settings, 10_000, 4), 1);
});

test('agreement between consecutive models caps uncertainty when gated, and only then', () => {
  const gated = parseAcquisitionSettings({
    uncertainty_after_per_class: 10,
    uncertainty_full_per_class: 40,
    uncertainty_after_agreement: 0.8,
    uncertainty_full_agreement: 0.9,
  });
  assert.equal(uncertaintyStrength(gated, 160, 4, 0.75), 0);
  assert.ok(Math.abs(uncertaintyStrength(gated, 160, 4, 0.85) - 0.5) < 1e-9);
  assert.equal(uncertaintyStrength(gated, 100, 4, 0.95), 0.5, 'the label ramp still caps it');
  assert.equal(uncertaintyStrength(gated, 160, 4), 1, 'unknown agreement: labels alone');
  const ungated = parseAcquisitionSettings({});
  assert.equal(uncertaintyStrength(ungated, 800, 10, 0), 1);
  assert.equal(uncertaintyStrength(ungated, 800, 10, 0.5), 1);
});

test('without a model: typical samples first, spread over the clusters, outliers last', () => {
  // Four tight clusters of 100 on the axes and 100 scattered outliers.
  const m = 500;
  const r = createRng(8);
  const rows = new Float32Array(m * 2);
  const typ = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const cluster = i < 400 ? Math.floor(i / 100) : -1;
    const angle = cluster >= 0 ? (cluster * Math.PI) / 2 + (r() - 0.5) * 0.1 : r() * 2 * Math.PI;
    rows[i * 2] = Math.cos(angle);
    rows[i * 2 + 1] = Math.sin(angle);
    typ[i] = cluster >= 0 ? 0.9 + r() * 0.1 : 0.05 + r() * 0.05;
  }
  const plan = planQueueOrder({
    settings: parseAcquisitionSettings({ n_samples: 8, shuffle_prop: 0, min_distance: 0 }),
    numClasses: 4,
    multiLabel: false,
    typicality: typ,
    embeddings: rows,
    dim: 2,
    rng: createRng(9),
  });
  assert.equal(plan.uncertaintyStrength, 0);
  const firstFour = [...plan.selected.slice(0, 4)];
  assert.ok(
    firstFour.every((i) => i < 400),
    'no outlier among the first picks',
  );
  assert.equal(new Set(firstFour.map((i) => Math.floor(i / 100))).size, 4, 'one per cluster');
});

test("class_balance 'cold' balances the typical picks only; 'always' the uncertain ones too", () => {
  // 90% of the pool predicted as class 0, the rest spread over classes 1-3.
  const skewed = new Float32Array(n * numClasses);
  const predicted = (i: number) => (i % 10 === 0 ? 1 + (i % 3) : 0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < numClasses; c++) {
      skewed[i * numClasses + c] = c === predicted(i) ? 0.4 + rng() * 0.5 : 0.1;
    }
  }
  const plan = (class_balance: string, labelledCount: number) =>
    planQueueOrder({
      settings: parseAcquisitionSettings({ class_balance, n_samples: 40, shuffle_prop: 0 }),
      probs: skewed,
      numClasses,
      multiLabel: false,
      embeddings,
      dim,
      labelledCount,
      rng: createRng(3),
    }).selected;
  const minority = (picks: Int32Array) => [...picks].filter((i) => predicted(i) !== 0).length;
  // No labels yet: uncertainty plays no part.
  assert.ok(minority(plan('cold', 0)) >= 25, `cold, few labels: ${minority(plan('cold', 0))}`);
  assert.ok(minority(plan('off', 0)) <= 10, `off: ${minority(plan('off', 0))}`);
  // 250 labels per class: uncertainty at full strength.
  assert.deepEqual([...plan('cold', 1000)], [...plan('off', 1000)]);
  assert.ok(minority(plan('always', 1000)) >= 25);
});

test("once uncertainty counts, k-center measures in the model's space ('model'), before that in the pool embedding", () => {
  // Two groups of 50: A (rows 0–49) sits on the labelled centre in the pool embedding, B in
  // the model's space, so the first pick is from the group far from it in the space measured.
  const rows = 100;
  const r = createRng(5);
  const around = (axisOf: (i: number) => number) =>
    Float32Array.from({ length: rows * 2 }, (_, k) => {
      const i = Math.floor(k / 2);
      return (k % 2 === axisOf(i) ? 1 : 0) + 0.01 * r();
    });
  const poolEmbeddings = around((i) => (i < 50 ? 0 : 1));
  const modelEmbeddings = around((i) => (i < 50 ? 1 : 0));
  const centre = Float32Array.of(1, 0);
  let modelSpaceCalls = 0;
  const input = (labelledCount: number, space?: 'pool') => ({
    settings: parseAcquisitionSettings({
      n_samples: 1,
      candidate_pool: rows,
      shuffle_prop: 0,
      class_balance: 'off',
      ...(space && { diversity_space: space }),
    }),
    probs: new Float32Array(rows * 2).fill(0.5),
    numClasses: 2,
    multiLabel: false,
    labelledCount,
    embeddings: poolEmbeddings,
    labelledEmbeddings: centre,
    dim: 2,
    modelSpace: () => {
      modelSpaceCalls++;
      return { embeddings: modelEmbeddings, labelledEmbeddings: centre, dim: 2 };
    },
    rng: createRng(3),
  });
  const firstPick = (o: { selected: Int32Array }) => ((o.selected[0] ?? -1) < 50 ? 'A' : 'B');

  const warm = planQueueOrder(input(200));
  assert.equal(warm.diversitySpace, 'model');
  assert.equal(firstPick(warm), 'A');
  assert.equal(modelSpaceCalls, 1);

  const pool = planQueueOrder(input(200, 'pool'));
  assert.equal(pool.diversitySpace, 'pool');
  assert.equal(firstPick(pool), 'B');

  const cold = planQueueOrder(input(0));
  assert.equal(cold.uncertaintyStrength, 0);
  assert.equal(cold.diversitySpace, 'pool');
  assert.equal(firstPick(cold), 'B');
  assert.equal(modelSpaceCalls, 1, 'the model space is not built when it is not measured in');
});

test("'both' measures k-center distance in the pool and the model's space at once", () => {
  // From the one labelled centre (1, 0) in both spaces: sample 0 is opposite it in the pool
  // embedding only, sample 1 in the model's space only (squared distances 4 and 0, so a mean
  // of 2), sample 2 at 120° in both (3 and 3). Each single space picks its own far sample;
  // together, sample 2 is the farthest.
  const centre = Float32Array.of(1, 0);
  const third = [-0.5, Math.sqrt(3) / 2];
  const poolEmbeddings = Float32Array.of(-1, 0, 1, 0, ...third);
  const modelEmbeddings = Float32Array.of(1, 0, -1, 0, ...third);
  const firstPick = (space: 'pool' | 'model' | 'both') => {
    const order = planQueueOrder({
      settings: parseAcquisitionSettings({
        n_samples: 1,
        candidate_pool: 3,
        shuffle_prop: 0,
        class_balance: 'off',
        typicality_strength: 0,
        diversity_space: space,
      }),
      probs: new Float32Array(3 * 2).fill(0.5),
      numClasses: 2,
      multiLabel: false,
      labelledCount: 200,
      embeddings: poolEmbeddings,
      labelledEmbeddings: centre,
      dim: 2,
      modelSpace: () => ({ embeddings: modelEmbeddings, labelledEmbeddings: centre, dim: 2 }),
      rng: createRng(4),
    });
    assert.equal(order.diversitySpace, space);
    return order.selected[0];
  };
  assert.equal(firstPick('pool'), 0);
  assert.equal(firstPick('model'), 1);
  assert.equal(firstPick('both'), 2);
});
