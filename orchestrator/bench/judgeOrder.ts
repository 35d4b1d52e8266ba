/**
 * The array benches' judge: one fixed small network (784-or-more pixels → 256 relu → dropout
 * → 10 softmax, Adam, 20,000 sample-passes whatever the budget), trained on the first k rows
 * of an order with their true labels and scored on the test rows; mean over two initialisations.
 * Deterministic per order: tfjs draws dropout masks and the epoch shuffles from Math.random,
 * which is seeded for the length of a fit, so two orders that share their first k rows get the
 * same accuracy and a difference between orders is theirs, not the judge's.
 */
import { createRng } from '../src/acquisition/rng';
import type { TensorFlow } from '../src/backend/chooseBackend';
import type { ColdStartData } from './coldStartData';
import { gatherPixels, oneHot } from './mnistArrays';

export async function judgeRows(
  tf: TensorFlow,
  data: ColdStartData,
  train: number[],
  test: number[],
): Promise<number> {
  const { dim } = data;
  let acc = 0;
  for (const s of [1, 2]) {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [dim],
          units: 256,
          activation: 'relu',
          kernelInitializer: tf.initializers.glorotUniform({ seed: s }),
        }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({
          units: 10,
          activation: 'softmax',
          kernelInitializer: tf.initializers.glorotUniform({ seed: s + 10 }),
        }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const x = tf.div(
      tf.tensor2d(gatherPixels(data.pixels, train, dim), [train.length, dim], 'float32'),
      255,
    );
    const y = tf.tensor2d(oneHot(data.labels, train), [train.length, 10]);
    const unseeded = Math.random;
    Math.random = createRng(s * 7919 + train.length);
    try {
      await model.fit(x, y, { epochs: Math.ceil(20000 / train.length), batchSize: 32 });
    } finally {
      Math.random = unseeded;
    }
    const tx = tf.div(
      tf.tensor2d(gatherPixels(data.pixels, test, dim), [test.length, dim], 'float32'),
      255,
    );
    const pred = (model.predict(tx) as ReturnType<typeof tf.tensor2d>).argMax(1).dataSync();
    let ok = 0;
    test.forEach((row, i) => (ok += pred[i] === data.labels[row] ? 1 : 0));
    acc += ok / test.length / 2;
    tf.dispose([x, y, tx]);
    model.dispose();
  }
  return acc;
}
