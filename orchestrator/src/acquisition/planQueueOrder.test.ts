import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planQueueOrder } from './planQueueOrder';
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
  const base = { probs, numClasses, multiLabel: false, embeddings, dim };
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
