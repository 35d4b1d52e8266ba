/**
 * Monte-Carlo dropout for bench:al-arrays' `_mc` variant: the model's softmax with its dropout
 * layers active (training mode), `passes` times over the same rows, averaged.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { TensorFlow } from '../src/backend/chooseBackend';
import { pixelsToTensor } from '../src/model/pixels';

/** One n × C probability array per pass. */
export function mcDropoutProbs(
  tf: TensorFlow,
  model: LayersModel,
  pixels: Uint8Array,
  n: number,
  passes: number,
  batchSize = 1_000,
): Float32Array[] {
  const len = n === 0 ? 0 : pixels.length / n;
  const numClasses = model.outputs[0]?.shape[1] ?? 0;
  const out = Array.from({ length: passes }, () => new Float32Array(n * numClasses));
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    tf.tidy(() => {
      const xs = pixelsToTensor(tf, pixels.subarray(start * len, end * len), end - start);
      for (const probs of out) {
        const p = model.apply(xs, { training: true }) as Tensor;
        probs.set(p.dataSync(), start * numClasses);
      }
    });
  }
  return out;
}

/** Mean over the passes, n × C. */
export function meanProbs(passes: Float32Array[]): Float32Array {
  const mean = new Float32Array(passes[0]?.length ?? 0);
  for (const p of passes) p.forEach((v, i) => (mean[i] = (mean[i] ?? 0) + v / passes.length));
  return mean;
}
