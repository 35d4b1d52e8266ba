/**
 * Acquisition functions: how unsure the model is about each sample, as a score in [0, 1]
 * where a one-hot prediction scores 0 and a uniform one scores 1 (Lightly's convention, so
 * the score can be used directly as a weight in the k-center product, see kcenter.ts).
 *
 * Single-label (softmax) outputs, one distribution p over C classes per sample:
 * - least_confidence: (1 − max p) · C / (C − 1)
 * - margin: 1 − (p1 − p2), p1 and p2 the two largest probabilities
 * - entropy: −Σ p log p / log C
 *
 * Multi-label (sigmoid) outputs, one independent probability q per label: each label is a
 * binary question with the distribution (q, 1 − q), scored with the function's own C = 2
 * formula, and the sample's score is the mean over its labels. For C = 2, least confidence
 * and margin coincide (both 1 − |2q − 1|); entropy is the binary entropy in bits.
 *
 * `random` ignores the probabilities and draws from the seeded RNG (the baseline).
 *
 * Loops run over the flat typed arrays with no allocation per sample: the pool can be 1M rows.
 */
import type { AcquisitionFunctionName } from '@al/contract';
import type { Rng } from './rng';

export { ACQUISITION_FUNCTION_NAMES, type AcquisitionFunctionName } from '@al/contract';

export interface ScoringInput {
  /** N × C probabilities, row-major: softmax rows, or sigmoid outputs when multiLabel. */
  probs: Float32Array;
  numClasses: number;
  multiLabel: boolean;
  rng: Rng;
}

/** Returns Float32Array(N) of scores in [0, 1]. */
export type UncertaintyScorer = (input: ScoringInput) => Float32Array;

/** Writes the scores of softmax rows into `out`. */
type SingleLabelKernel = (probs: Float32Array, numClasses: number, out: Float32Array) => void;
/** The uncertainty of one sigmoid output q ∈ [0, 1], as a binary distribution (q, 1 − q). */
type BinaryUncertainty = (q: number) => number;

const clampUnit = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

function rowCount(probs: Float32Array, numClasses: number, multiLabel: boolean): number {
  if (!Number.isInteger(numClasses) || numClasses < (multiLabel ? 1 : 2)) {
    throw new RangeError(
      `numClasses must be an integer ≥ ${multiLabel ? 1 : 2}, got ${numClasses}`,
    );
  }
  if (probs.length % numClasses !== 0) {
    throw new RangeError(`probs has ${probs.length} values, not a multiple of ${numClasses}`);
  }
  return probs.length / numClasses;
}

/** Builds a scorer from its softmax kernel and its per-label binary form. */
function probabilityScorer(
  singleLabel: SingleLabelKernel,
  binary: BinaryUncertainty,
): UncertaintyScorer {
  return ({ probs, numClasses, multiLabel }) => {
    const n = rowCount(probs, numClasses, multiLabel);
    const out = new Float32Array(n);
    if (!multiLabel) {
      singleLabel(probs, numClasses, out);
      return out;
    }
    for (let i = 0, base = 0; i < n; i++, base += numClasses) {
      let sum = 0;
      for (let c = 0; c < numClasses; c++) sum += binary(probs[base + c] ?? 0);
      out[i] = clampUnit(sum / numClasses);
    }
    return out;
  };
}

const leastConfidenceRows: SingleLabelKernel = (probs, numClasses, out) => {
  const scale = numClasses / (numClasses - 1);
  for (let i = 0, base = 0; i < out.length; i++, base += numClasses) {
    let max = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[base + c] ?? 0;
      if (p > max) max = p;
    }
    out[i] = clampUnit((1 - max) * scale);
  }
};

const marginRows: SingleLabelKernel = (probs, numClasses, out) => {
  for (let i = 0, base = 0; i < out.length; i++, base += numClasses) {
    let first = 0;
    let second = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[base + c] ?? 0;
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    out[i] = clampUnit(1 - (first - second));
  }
};

const entropyRows: SingleLabelKernel = (probs, numClasses, out) => {
  const norm = 1 / Math.log(numClasses);
  for (let i = 0, base = 0; i < out.length; i++, base += numClasses) {
    let h = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[base + c] ?? 0;
      // 0 · log 0 = 0 by continuity; also guards against log of a rounding-negative value.
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = clampUnit(h * norm);
  }
};

/** 1 − |2q − 1|: least confidence and margin for a binary distribution (q, 1 − q). */
const binaryMargin: BinaryUncertainty = (q) => 1 - Math.abs(2 * q - 1);

const binaryEntropy: BinaryUncertainty = (q) => {
  if (q <= 0 || q >= 1) return 0;
  return -(q * Math.log2(q) + (1 - q) * Math.log2(1 - q));
};

const randomScores: UncertaintyScorer = ({ probs, numClasses, multiLabel, rng }) => {
  const out = new Float32Array(rowCount(probs, numClasses, multiLabel));
  for (let i = 0; i < out.length; i++) out[i] = rng();
  return out;
};

/** The registry: add a function here and to ACQUISITION_FUNCTION_NAMES, nowhere else. */
export const acquisitionFunctions: Record<AcquisitionFunctionName, UncertaintyScorer> = {
  entropy: probabilityScorer(entropyRows, binaryEntropy),
  margin: probabilityScorer(marginRows, binaryMargin),
  least_confidence: probabilityScorer(leastConfidenceRows, binaryMargin),
  random: randomScores,
};

export function scoreUncertainty(name: AcquisitionFunctionName, input: ScoringInput): Float32Array {
  return acquisitionFunctions[name](input);
}
