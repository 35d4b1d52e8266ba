/**
 * One epoch of minibatch steps on a compiled classifier, without `model.fit`: fit's set-up
 * (input checks, callback lists, history) costs ~6 ms a call on wasm, and trainClassifier calls
 * it once per epoch, 160 times for a model on a few hundred labels — about as long as the
 * steps themselves. The steps are fit's: the compiled optimizer on each batch's mean loss,
 * dropout in training mode, batches in the rows' order. Each batch's tensors are built from
 * its rows: slicing a batch out of the epoch's tensor costs wasm time in proportion to the
 * whole tensor (~8 ms a batch at 2,000 rows of 28×28), more than the step itself.
 */
import type { LayersModel, Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import type { TensorFlow } from '../backend/chooseBackend';
import type { Pace } from '../pacing/pacer';

export interface EpochInput {
  tf: TensorFlow;
  model: LayersModel;
  /** Example rows in the order the batches take them. */
  order: Int32Array;
  batchSize: number;
  /** Inputs and targets of these rows, in their order (disposed after the step). */
  batch: (rows: Int32Array) => { xs: Tensor2D; ys: Tensor2D };
  /** Sigmoid outputs and binary cross-entropy (several labels per image) instead of softmax. */
  multiLabel: boolean;
  signal?: AbortSignal;
  /** Awaited after every batch. */
  pace?: Pace;
}

export async function trainEpoch(o: EpochInput): Promise<void> {
  const { tf, model, order, batchSize, signal } = o;
  const variables = model.trainableWeights.map((w) => {
    const v = w.read();
    if (!(v instanceof tf.Variable)) throw new TypeError(`weight ${w.name} is not a variable`);
    return v;
  });
  const loss = o.multiLabel ? tf.metrics.binaryCrossentropy : tf.metrics.categoricalCrossentropy;
  for (let start = 0; start < order.length && !signal?.aborted; start += batchSize) {
    tf.tidy(() => {
      const { xs, ys } = o.batch(order.subarray(start, start + batchSize));
      model.optimizer.minimize(
        () => loss(ys, model.apply(xs, { training: true }) as Tensor).mean<Scalar>(),
        false,
        variables,
      );
    });
    await o.pace?.();
  }
}
