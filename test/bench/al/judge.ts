/**
 * The judge: one fixed small network, the same for every order and independent of the
 * orchestrator's model — an MLP on the pixels (one hidden layer of 256 relu units, dropout,
 * Adam), trained from scratch for a fixed number of epochs on the first k images of an order
 * with the labels that order's labellers gave, and scored on the test set.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRng, deriveSeed, shuffleInPlace } from './rng';
import type { ImageSet } from './datasets/types';

export interface JudgeSettings {
  epochs: number;
  batchSize: number;
  hidden: number;
  dropout: number;
  learningRate: number;
}

export const JUDGE_DEFAULTS: JudgeSettings = {
  epochs: 30,
  batchSize: 16,
  hidden: 256,
  dropout: 0.2,
  learningRate: 2e-3,
};

/**
 * The wasm backend (dense layers train ~5× faster on it than on the pure-JS cpu backend), set
 * up as orchestrator/src/backend/chooseBackend.ts does: in Node it reads the .wasm binaries
 * with fs from the package's dist folder.
 */
export async function initJudgeBackend(): Promise<void> {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  setWasmPaths(path.join(path.dirname(pkg), 'dist') + path.sep);
  tf.enableProdMode();
  if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
  await tf.ready();
}

const testTensors = new WeakMap<ImageSet, tf.Tensor2D>();

function testTensor(test: ImageSet): tf.Tensor2D {
  let t = testTensors.get(test);
  if (!t) {
    t = tf.tensor2d(test.features, [test.n, test.dim]);
    testTensors.set(test, t);
  }
  return t;
}

/** Frees the test set's tensor once a data set is done. */
export function releaseTestSet(test: ImageSet): void {
  testTensors.get(test)?.dispose();
  testTensors.delete(test);
}

export interface JudgeTrainingSet {
  /** Row-major k × dim. */
  features: Float32Array;
  /** The class each image was labelled with. */
  labels: Int32Array;
}

/** Test-set accuracy of a judge trained from scratch with initialisation `seed`. */
export async function judgeAccuracy(
  train: JudgeTrainingSet,
  test: ImageSet,
  numClasses: number,
  seed: number,
  s: JudgeSettings = JUDGE_DEFAULTS,
): Promise<number> {
  const n = train.labels.length;
  const dim = test.dim;
  if (n === 0) return 1 / numClasses;
  const x = tf.tensor2d(train.features, [n, dim]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), numClasses).toFloat());
  const w1 = tf.variable(tf.initializers.glorotUniform({ seed }).apply([dim, s.hidden]));
  const b1 = tf.variable(tf.zeros([s.hidden]));
  const w2 = tf.variable(
    tf.initializers.glorotUniform({ seed: seed + 1 }).apply([s.hidden, numClasses]),
  );
  const b2 = tf.variable(tf.zeros([numClasses]));
  const optimizer = tf.train.adam(s.learningRate);
  const rng = createRng(deriveSeed(seed, 99));
  const rows = Array.from({ length: n }, (_, i) => i);
  let step = 0;
  try {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      shuffleInPlace(rng, rows);
      for (let start = 0; start < n; start += s.batchSize) {
        const idx = tf.tensor1d(rows.slice(start, start + s.batchSize), 'int32');
        const dropSeed = deriveSeed(seed, step++);
        optimizer.minimize(() => {
          const xb = tf.gather(x, idx);
          const yb = tf.gather(y, idx);
          const h = tf.dropout(
            tf.relu(tf.add(tf.matMul(xb, w1), b1)),
            s.dropout,
            undefined,
            dropSeed,
          );
          return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(
            yb,
            tf.add(tf.matMul(h, w2), b2),
          );
        });
        idx.dispose();
      }
      // Let the event loop breathe between epochs (socket pings, SIGINT).
      if (epoch % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    const testX = testTensor(test); // cached across trainings: made outside the tidy scope
    const predicted = tf.tidy(() =>
      tf.argMax(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(testX, w1), b1)), w2), b2), 1),
    );
    const classes = await predicted.data<'int32'>();
    predicted.dispose();
    let correct = 0;
    classes.forEach((c, i) => {
      if (c === test.labels[i]) correct++;
    });
    return correct / test.n;
  } finally {
    tf.dispose([x, y, w1, b1, w2, b2]);
    optimizer.dispose();
  }
}
