/**
 * Pool embeddings the cold-start bench compares, each fitted on the pool itself with no label
 * and returned as n × dim unit-length rows (what typicality and k-center take):
 * - pca: the product's (orchestrator/src/embedding/pca.ts) on the raw pixels;
 * - pca-std: pca on each image standardised per channel by its own mean and std;
 * - pca-white: pca whose coordinates are divided by their standard deviation before the rows
 *   are scaled to unit length (every component weighs the same in the angle);
 * - grad: pca on Sobel gradient-magnitude images;
 * - grad-px: pca on gradient magnitude followed by the pixels at half resolution;
 * - hog: pca on histograms of oriented gradients;
 * - kmeans: pca on single-layer k-means patch features (patchFeatures.ts);
 * - pca+kmeans: both, side by side (each unit length, the pair scaled back to unit length);
 * - backbone: the product's `tfjs-model` embedder on a pretrained detector's MobileNetV3
 *   (test/bench/al/detectorBackbone.ts), pooled last feature map, no PCA (backbonePool).
 */
import type { Logger } from 'pino';
import { detectorBackboneSettings } from '../../test/bench/al/detectorBackbone';
import type { Rng } from '../src/acquisition/rng';
import type { TensorFlow } from '../src/backend/chooseBackend';
import { loadEmbedder } from '../src/embedding/embedderRegistry';
import { fitPca, projectPca } from '../src/embedding/pca';
import type { InputSpec } from '../src/features/inputSpec';
import {
  concatRows,
  gradientMagnitude,
  halfResolution,
  hog,
  standardisePerImage,
} from './imageFeatures';
import { patchFeatures } from './patchFeatures';

export const EMBEDDINGS = [
  'pca',
  'pca-std',
  'pca-white',
  'grad',
  'grad-px',
  'hog',
  'kmeans',
  'pca+kmeans',
  'backbone',
] as const;
export type EmbeddingName = (typeof EMBEDDINGS)[number];

export interface PoolEmbedding {
  rows: Float32Array;
  dim: number;
  /** Share of the (transformed) inputs' variance the components hold. */
  explained: number;
  /** Inputs per image the PCA saw. */
  inputDim: number;
}

/** The uint8 rows the PCA of `name` is fitted on (pca+kmeans joins two of them instead). */
function pcaInputs(
  tf: TensorFlow,
  name: Exclude<EmbeddingName, 'pca+kmeans' | 'backbone'>,
  pixels: Uint8Array,
  n: number,
  spec: InputSpec,
  rng: Rng,
) {
  switch (name) {
    case 'pca':
    case 'pca-white':
      return pixels;
    case 'pca-std':
      return standardisePerImage(pixels, n, spec);
    case 'grad':
      return gradientMagnitude(pixels, n, spec);
    case 'grad-px':
      return concatRows(gradientMagnitude(pixels, n, spec), halfResolution(pixels, n, spec), n);
    case 'hog':
      return hog(pixels, n, spec);
    case 'kmeans':
      return patchFeatures(tf, pixels, n, spec, rng);
  }
}

/** PCA coordinates divided by their standard deviation over the rows, then unit length. */
function whitenedProjection(
  tf: TensorFlow,
  basis: ReturnType<typeof fitPca>,
  inputs: Uint8Array,
  n: number,
): Float32Array {
  return tf.tidy(() => {
    const x = tf.sub(
      tf.div(tf.tensor2d(inputs, [n, basis.inputDim], 'float32'), 255),
      tf.tensor1d(basis.mean),
    );
    const e = tf.matMul(x, tf.tensor2d(basis.components, [basis.dim, basis.inputDim]), false, true);
    const std = tf.maximum(tf.sqrt(tf.moments(e, 0).variance), 1e-6);
    const w = tf.div(e, std);
    return Float32Array.from(
      tf.div(w, tf.maximum(tf.norm(w, 'euclidean', 1, true), 1e-6)).dataSync(),
    );
  });
}

function sideBySide(a: PoolEmbedding, b: PoolEmbedding, n: number): PoolEmbedding {
  const dim = a.dim + b.dim;
  const rows = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < a.dim; j++) rows[i * dim + j] = (a.rows[i * a.dim + j] ?? 0) * Math.SQRT1_2;
    for (let j = 0; j < b.dim; j++)
      rows[i * dim + a.dim + j] = (b.rows[i * b.dim + j] ?? 0) * Math.SQRT1_2;
  }
  return {
    rows,
    dim,
    explained: (a.explained + b.explained) / 2,
    inputDim: a.inputDim + b.inputDim,
  };
}

/** The pool's embedding by `name`, `dim` components, fitted and projected on the n rows. */
export function embedPool(
  tf: TensorFlow,
  name: Exclude<EmbeddingName, 'backbone'>,
  pool: { pixels: Uint8Array; n: number; spec: InputSpec },
  dim: number,
  rng: Rng,
): PoolEmbedding {
  const { pixels, n, spec } = pool;
  if (name === 'pca+kmeans') {
    return sideBySide(
      embedPool(tf, 'pca', pool, dim, rng),
      embedPool(tf, 'kmeans', pool, dim, rng),
      n,
    );
  }
  const inputs = pcaInputs(tf, name, pixels, n, spec, rng);
  const basis = fitPca(tf, inputs, n, dim, rng);
  const rows =
    name === 'pca-white'
      ? whitenedProjection(tf, basis, inputs, n)
      : projectPca(tf, basis, inputs, n);
  return { rows, dim: basis.dim, explained: basis.explained, inputDim: basis.inputDim };
}

/** The pool through the product's tfjs-model embedder on the bench's backbone at side². */
export async function backbonePool(
  tf: TensorFlow,
  pool: { pixels: Uint8Array; n: number; spec: InputSpec },
  side: number,
  rng: Rng,
  logger: Logger,
): Promise<PoolEmbedding> {
  const embedder = await loadEmbedder(detectorBackboneSettings(side), { tf, logger });
  try {
    const fitted = await embedder.fit(pool, pool.spec, rng);
    const rows = await fitted.embed(pool.pixels, pool.n);
    return { rows, dim: fitted.dim, explained: NaN, inputDim: side * side * 3 };
  } finally {
    await embedder.dispose();
  }
}

/**
 * A label-aware diagnostic of an embedding (never used for ordering): the mean share of each
 * row's k nearest other rows (cosine) that have its class.
 */
export function neighbourPurity(
  tf: TensorFlow,
  rows: Float32Array,
  dim: number,
  labels: ArrayLike<number>,
  k = 10,
): number {
  const n = rows.length / dim;
  const all = tf.tensor2d(rows, [n, dim]);
  let same = 0;
  try {
    for (let start = 0; start < n; start += 500) {
      const end = Math.min(n, start + 500);
      const idx = tf.tidy(() => {
        const block = tf.tensor2d(rows.subarray(start * dim, end * dim), [end - start, dim]);
        return tf.topk(tf.matMul(block, all, false, true), k + 1).indices.dataSync();
      });
      for (let i = start; i < end; i++) {
        let counted = 0;
        for (let j = 0; j <= k && counted < k; j++) {
          const other = idx[(i - start) * (k + 1) + j] ?? i;
          if (other === i) continue;
          counted++;
          if (labels[other] === labels[i]) same++;
        }
      }
    }
  } finally {
    all.dispose();
  }
  return same / (n * k);
}
