import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averagingStart } from './trainClassifier';
import { WeightAverage } from './weightAverage';
import { cpuTensorFlow } from '../testing/cpuBackend';

test('WeightAverage sets the mean of the weights it was given, and frees its sums', async () => {
  const tf = await cpuTensorFlow();
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 1, useBias: true })],
  });
  const set = (k: number, b: number) => {
    const w = [tf.tensor2d([[k], [2 * k]]), tf.tensor1d([b])];
    model.setWeights(w);
    tf.dispose(w);
  };
  const average = new WeightAverage(tf, model);
  const before = tf.memory().numTensors;
  for (const [k, b] of [
    [1, 10],
    [2, -4],
    [6, 3],
  ] as const) {
    set(k, b);
    average.add();
  }
  set(100, 100); // not added: must not count
  average.apply();
  const [kernel, bias] = model.getWeights().map((t) => Array.from(t.dataSync()));
  assert.deepEqual(kernel, [3, 6]);
  assert.deepEqual(bias, [3]);
  average.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
  model.dispose();
});

test('averagingStart covers the last share of the epochs, at least the last one', () => {
  assert.equal(averagingStart(16, 1 / 3), 10);
  assert.equal(averagingStart(160, 1 / 3), 106);
  assert.equal(averagingStart(1, 1 / 3), 0);
  assert.equal(averagingStart(10, 0), 10);
});
