import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { cpuTensorFlow } from '../testing/cpuBackend';
import { trainClassifier } from './trainClassifier';

const spec = { width: 4, height: 4, channels: 1 } as const;

/** Images bright in the left half are class 0, bright in the right half class 1. */
function halves(n: number) {
  const pixels = new Uint8Array(n * 16);
  const targets = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        const bright = x < 2 === (c === 0);
        pixels[i * 16 + y * 4 + x] = bright ? 200 + ((i * 7 + x) % 50) : (i * 13 + y) % 40;
      }
    }
    targets[i * 2 + c] = 1;
  }
  return { pixels, targets };
}

for (const multiLabel of [false, true]) {
  test(`training steps learn a separable task and free every tensor (${multiLabel ? 'multi-label' : 'single-label'})`, async () => {
    const tf = await cpuTensorFlow();
    const { pixels, targets } = halves(40);
    const before = tf.memory().numTensors;
    let paced = 0;
    const model = await trainClassifier({
      tf,
      architecture: 'dense',
      spec,
      numClasses: 2,
      multiLabel,
      pixels,
      targets,
      epochs: 30,
      batchSize: 8,
      maxShift: 0,
      seed: 3,
      pace: () => {
        paced += 1;
        return Promise.resolve();
      },
    });
    // 40 examples in batches of 8: 5 steps an epoch, each one paced.
    assert.equal(paced, 30 * 5);
    const probs = tf.tidy(() => {
      const x = tf.tensor2d(
        Float32Array.from(pixels, (v) => v / 255),
        [40, 16],
      );
      return (model.predict(x) as Tensor).arraySync() as number[][];
    });
    const right = probs.filter((p, i) => ((p[1] ?? 0) > (p[0] ?? 0) ? 1 : 0) === i % 2).length;
    assert.equal(right, 40, 'every training image classified right');
    model.dispose();
    // The optimizer's moments go with the training; the model's weights with the model.
    assert.equal(tf.memory().numTensors, before);
  });
}

test('an aborted training stops within a batch and frees what it made', async () => {
  const tf = await cpuTensorFlow();
  const { pixels, targets } = halves(40);
  const before = tf.memory().numTensors;
  const stop = new AbortController();
  let steps = 0;
  await assert.rejects(
    trainClassifier({
      tf,
      architecture: 'dense',
      spec,
      numClasses: 2,
      multiLabel: false,
      pixels,
      targets,
      epochs: 30,
      batchSize: 8,
      seed: 1,
      signal: stop.signal,
      pace: () => {
        steps += 1;
        if (steps === 7) stop.abort();
        return Promise.resolve();
      },
    }),
    { name: 'AbortError' },
  );
  assert.equal(steps, 7);
  assert.equal(tf.memory().numTensors, before);
});
