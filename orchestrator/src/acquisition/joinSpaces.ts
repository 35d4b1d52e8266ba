/**
 * One embedding space made of two (diversity_space 'both'): each row is the pair of unit-length
 * rows side by side, each scaled by 1/√2, so a squared distance is the mean of the two spaces'
 * squared distances on unit-length rows. Neither space can dominate by its scale or its
 * dimension, and a pair of samples counts as close only when it is close in both.
 */
import { normalisedRows } from './kcenterDistances';

export interface EmbeddingRows {
  /** N × dim, row-major. */
  embeddings: Float32Array;
  /** M × dim, the existing centres, in the same sample order in both spaces. */
  labelledEmbeddings?: Float32Array;
  dim: number;
}

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

export function joinSpaces(a: EmbeddingRows, b: EmbeddingRows): Required<EmbeddingRows> {
  const empty = new Float32Array(0);
  return {
    embeddings: sideBySide(a.embeddings, a.dim, b.embeddings, b.dim),
    labelledEmbeddings: sideBySide(
      a.labelledEmbeddings ?? empty,
      a.dim,
      b.labelledEmbeddings ?? empty,
      b.dim,
    ),
    dim: a.dim + b.dim,
  };
}
