/**
 * One embedding space made of two (diversity_space 'both'): each row is the pair of unit-length
 * rows side by side, each scaled by 1/√2, so a squared distance is the mean of the two spaces'
 * squared distances on unit-length rows. Neither space can dominate by its scale or its
 * dimension, and a pair of samples counts as close only when it is close in both.
 */
import { normalisedRows } from './kcenterDistances';
import type { EmbeddingSpace } from './planQueueOrder';

function sideBySide(a: Float32Array, aDim: number, b: Float32Array, bDim: number): Float32Array {
  const n = a.length / aDim;
  if (b.length / bDim !== n) {
    throw new RangeError(`the spaces hold ${n} and ${b.length / bDim} rows`);
  }
  const left = normalisedRows(a, aDim).rows;
  const right = normalisedRows(b, bDim).rows;
  const dim = aDim + bDim;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < aDim; k++) out[i * dim + k] = (left[i * aDim + k] ?? 0) * Math.SQRT1_2;
    for (let k = 0; k < bDim; k++) {
      out[i * dim + aDim + k] = (right[i * bDim + k] ?? 0) * Math.SQRT1_2;
    }
  }
  return out;
}

/** `a`'s rows beside `b`'s, sample for sample (the pool's space may have no centres yet). */
export function joinSpaces(
  a: Omit<EmbeddingSpace, 'labelledEmbeddings'> & { labelledEmbeddings?: Float32Array },
  b: EmbeddingSpace,
): EmbeddingSpace {
  return {
    embeddings: sideBySide(a.embeddings, a.dim, b.embeddings, b.dim),
    labelledEmbeddings: sideBySide(
      a.labelledEmbeddings ?? new Float32Array(0),
      a.dim,
      b.labelledEmbeddings,
      b.dim,
    ),
    dim: a.dim + b.dim,
  };
}
