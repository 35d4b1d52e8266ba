/**
 * Typicality (TypiClust): how dense the embedding is around each sample, as the inverse of
 * its mean distance to its nearest neighbours. Typical samples stand for many others, so they
 * are what to label first while labels are few; outliers (the picks of uncertainty and plain
 * k-center in that regime) teach little. Neighbours are searched among a random reference
 * subset of the pool, which bounds the cost at n × REFERENCE_MAX × dim however large the pool.
 * While only part of the pool is decoded (a fresh import), the embedded rows are a random
 * sample of it: fewer neighbours are counted, in proportion, so that the density is measured
 * over the same radius as it will be on the whole pool. At a fixed count the radius is wider
 * on a sample, outliers look less isolated, and the k-center picks of the partial orders
 * drift toward them.
 */
import type { TensorFlow } from '../backend/chooseBackend';
import { randomInt, type Rng } from './rng';

const NEIGHBOURS = 20;
const REFERENCE_MAX = 8_000;
const BLOCK = 512;

/**
 * n × dim unit-length embeddings → n typicality scores scaled to (0, 1] (the densest is 1).
 * A sample never counts as its own neighbour.
 */
export function typicality(
  tf: TensorFlow,
  embeddings: Float32Array,
  dim: number,
  rng: Rng,
  /** Size of the pool these rows were sampled from (default: the rows are all of it). */
  wholePool?: number,
): Float32Array {
  const n = embeddings.length / dim;
  const out = new Float32Array(n);
  if (n < 2) return out.fill(1);
  const refIndex = referenceRows(n, rng);
  const m = refIndex.length;
  const k = Math.min(neighbours(m, wholePool ?? n), m - 1);
  const refs = new Float32Array(m * dim);
  refIndex.forEach((row, r) => {
    refs.set(embeddings.subarray(row * dim, (row + 1) * dim), r * dim);
  });
  const refTensor = tf.tensor2d(refs, [m, dim]);
  try {
    for (let start = 0; start < n; start += BLOCK) {
      const end = Math.min(n, start + BLOCK);
      const sims = tf.tidy(() => {
        const block = tf.tensor2d(embeddings.subarray(start * dim, end * dim), [end - start, dim]);
        // k + 1 nearest: the sample itself is among them when it is a reference row.
        return tf.topk(tf.matMul(block, refTensor, false, true), k + 1).values.dataSync();
      });
      for (let i = 0; i < end - start; i++) {
        let sum = 0;
        let counted = 0;
        let skippedSelf = false;
        for (let j = 0; j <= k && counted < k; j++) {
          const sim = sims[i * (k + 1) + j] ?? 0;
          if (!skippedSelf && sim > 1 - 1e-6) {
            skippedSelf = true;
            continue;
          }
          sum += Math.sqrt(Math.max(0, 2 - 2 * sim));
          counted++;
        }
        out[start + i] = 1 / (sum / Math.max(counted, 1) + 1e-6);
      }
    }
  } finally {
    refTensor.dispose();
  }
  let max = 0;
  for (const v of out) max = Math.max(max, v);
  for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) / max;
  return out;
}

/** NEIGHBOURS among the whole pool's references, scaled to the `references` there are. */
export function neighbours(references: number, wholePool: number): number {
  const wholeReferences = Math.min(Math.max(wholePool, references), REFERENCE_MAX);
  return Math.max(1, Math.round((NEIGHBOURS * references) / wholeReferences));
}

function referenceRows(n: number, rng: Rng): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (n <= REFERENCE_MAX) return all;
  for (let i = 0; i < REFERENCE_MAX; i++) {
    const j = i + randomInt(rng, n - i);
    const t = all[i] ?? 0;
    all[i] = all[j] ?? 0;
    all[j] = t;
  }
  return all.slice(0, REFERENCE_MAX);
}
