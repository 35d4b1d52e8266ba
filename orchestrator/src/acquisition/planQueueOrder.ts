/**
 * Acquisition, composed from the parts, for both regimes:
 * - few labels (or no model yet): typical samples, spread out — weight = typicality;
 * - once the model has enough labels per class: weight = uncertainty^u × typicality, where u
 *   ramps from 0 to 1 between `uncertainty_after_per_class` and `uncertainty_full_per_class`
 *   labels per class (uncertain outliers teach little while the model is weak), and is held
 *   below a second ramp on the agreement between consecutive models, when that is known
 *   and gated (how many labels a data set needs before its model is worth asking varies).
 * Then keep the `candidate_pool` highest weights, select `n_samples` of them (k-center greedy
 * weighted by them when `diversity`, else the top weights), and turn
 * that into priorities for the whole pool. Pure: the job loop feeds it model outputs and
 * writes the priorities back.
 * k-center measures distance on the pool embedding while uncertainty plays no part; once it
 * does, on the scoring model's embedding layer when given and `diversity_space` is 'model':
 * pixel-variance directions (PCA) can be dominated by what does not tell the classes apart
 * (hue, background), while the model's layer is shaped by the labels.
 */
import { selectKCenter, type KCenterBalance } from './kcenter';
import { joinSpaces } from './joinSpaces';
import { computePriorities } from './order';
import { randomInt, type Rng } from './rng';
import type { AcquisitionSettings, ClassBalanceMode, DiversitySpace } from '@al/contract';
import { scoreUncertainty } from './uncertainty';

export interface QueueOrderInput {
  settings: AcquisitionSettings;
  /** N × numClasses model outputs over the open pool (softmax, or sigmoid if multiLabel); none before the first model. */
  probs?: Float32Array;
  numClasses: number;
  multiLabel: boolean;
  /** How many labelled samples the model was trained on (drives the uncertainty ramp). */
  labelledCount?: number;
  /** Share of the pool on which this model and the previous one predict the same; unknown: no gate. */
  agreement?: number;
  /** N typicality scores in (0, 1] of the pool (typicality.ts); none: all 1. */
  typicality?: Float32Array;
  /** N × dim embeddings of the same pool. */
  embeddings: Float32Array;
  /** M × dim embeddings of the labelled samples: existing centres. */
  labelledEmbeddings?: Float32Array;
  /**
   * The same pool and centres in the scoring model's embedding layer (with `probs`); called
   * only when k-center measures there.
   */
  modelSpace?: () => EmbeddingSpace;
  /** Per-class counts among the labelled samples, for class balance. */
  labelledCounts?: Float64Array;
  dim: number;
  rng: Rng;
}

export interface EmbeddingSpace {
  /** N × dim, the pool's rows in the order of `probs`. */
  embeddings: Float32Array;
  /** M × dim, the existing centres. */
  labelledEmbeddings: Float32Array;
  dim: number;
}

export interface QueueOrder {
  scores: Float32Array;
  /** Pool indices placed at the head of the queue, in selection order. */
  selected: Int32Array;
  priorities: Float64Array;
  /** The exponent uncertainty had in the weights. */
  uncertaintyStrength: number;
  /** Where k-center measured distance ('pool' also without diversity). */
  diversitySpace: DiversitySpace;
}

/**
 * Typical-only selection looks at this many random candidates: k-center costs candidates ×
 * picks × dim, and 20,000 random samples hold every mode of the pool with ≥ 0.05% of it.
 */
export const TYPICAL_CANDIDATES = 20_000;

/** `k` distinct indices of 0..n-1 drawn at random (partial Fisher–Yates), ascending. */
function randomSubset(n: number, k: number, rng: Rng): Int32Array {
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  if (k >= n) return all;
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(rng, n - i);
    const t = all[i] ?? 0;
    all[i] = all[j] ?? 0;
    all[j] = t;
  }
  return all.slice(0, k).sort();
}

/** Pool indices of the `k` highest scores, highest first (ties: lower index first). */
function topByScore(scores: Float32Array, k: number): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return order.slice(0, Math.min(k, order.length));
}

function gatherRows(source: Float32Array, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r] ?? 0;
    out.set(source.subarray(i * dim, (i + 1) * dim), r * dim);
  }
  return out;
}

/** Uniform target over the classes, each candidate at its argmax class. */
function uniformBalance(
  probs: Float32Array,
  numClasses: number,
  candidates: Int32Array,
  labelledCounts: Float64Array | undefined,
): KCenterBalance {
  const predictedClass = new Int32Array(candidates.length);
  for (let r = 0; r < candidates.length; r++) {
    const base = (candidates[r] ?? 0) * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) {
      if ((probs[base + c] ?? 0) > (probs[base + best] ?? 0)) best = c;
    }
    predictedClass[r] = best;
  }
  return {
    predictedClass,
    target: new Float64Array(numClasses).fill(1 / numClasses),
    strength: 1,
    labelledCounts,
  };
}

/** 0 at or below `from`, 1 at or above `full`, linear between. */
function ramp(x: number, from: number, full: number): number {
  if (x >= Math.max(full, from)) return 1;
  if (x <= from) return 0;
  return (x - from) / (full - from);
}

/**
 * The exponent of uncertainty in the weight: 0 while labels per class are few, up to 1, and
 * no higher than the agreement ramp allows.
 */
export function uncertaintyStrength(
  settings: AcquisitionSettings,
  labelledCount: number,
  numClasses: number,
  agreement?: number,
): number {
  const perClass = labelledCount / Math.max(numClasses, 1);
  const byLabels = ramp(
    perClass,
    settings.uncertainty_after_per_class,
    settings.uncertainty_full_per_class,
  );
  if (agreement === undefined) return byLabels;
  const gate = ramp(
    agreement,
    settings.uncertainty_after_agreement,
    settings.uncertainty_full_agreement,
  );
  return Math.min(byLabels, gate);
}

/**
 * 'cold' balances the typical picks only: on balanced data, balancing uncertain picks pulls
 * them off the classes the model finds hard.
 */
function balances(mode: ClassBalanceMode, u: number): boolean {
  return mode === 'always' || (mode === 'cold' && u === 0);
}

/** weight_i = uncertainty_i^u × typicality_i^t, in [0, 1]. */
function acquisitionWeights(input: QueueOrderInput, n: number, u: number): Float32Array {
  const { settings, probs, numClasses, multiLabel, rng, typicality } = input;
  const unc =
    probs && u > 0
      ? scoreUncertainty(settings.function, { probs, numClasses, multiLabel, rng })
      : undefined;
  const t = settings.typicality_strength;
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const typ = typicality ? Math.max(typicality[i] ?? 0, 1e-6) ** t : 1;
    weights[i] = (unc ? Math.max(unc[i] ?? 0, 1e-6) ** u : 1) * typ;
  }
  return weights;
}

export function planQueueOrder(input: QueueOrderInput): QueueOrder {
  const { settings, probs, numClasses, multiLabel } = input;
  const n = input.embeddings.length / input.dim;
  if (probs && probs.length !== n * numClasses) {
    throw new RangeError(`probs hold ${probs.length / numClasses} rows for ${n} samples`);
  }
  const u = probs
    ? uncertaintyStrength(settings, input.labelledCount ?? 0, numClasses, input.agreement)
    : 0;
  const scores = acquisitionWeights(input, n, u);
  const modelSpace =
    settings.diversity && settings.diversity_space !== 'pool' && u > 0
      ? input.modelSpace?.()
      : undefined;
  const { embeddings, labelledEmbeddings, dim } = !modelSpace
    ? input
    : settings.diversity_space === 'both'
      ? joinSpaces(input, modelSpace)
      : modelSpace;
  if (embeddings.length !== scores.length * dim) {
    throw new RangeError(
      `embeddings hold ${embeddings.length / dim} rows for ${scores.length} samples`,
    );
  }
  // Typical picks alone would take the candidates from the densest region only: they come
  // from a random subset of the pool instead, k-center spreads them out.
  const candidates =
    u === 0 && settings.diversity
      ? randomSubset(n, Math.max(settings.candidate_pool, TYPICAL_CANDIDATES), input.rng)
      : topByScore(scores, settings.candidate_pool);
  let selected: Int32Array;
  if (settings.diversity) {
    const { indices } = selectKCenter({
      candidates: gatherRows(embeddings, dim, candidates),
      labelled: labelledEmbeddings,
      dim,
      nSamples: settings.n_samples,
      minDistance: settings.min_distance,
      weights: { values: gatherScores(scores, candidates), strength: 1 },
      // Balance needs one predicted class per sample: not defined for multi-label outputs.
      balance:
        balances(settings.class_balance, u) && !multiLabel && probs
          ? uniformBalance(probs, numClasses, candidates, input.labelledCounts)
          : undefined,
    });
    selected = indices.map((r) => candidates[r] ?? 0);
  } else {
    selected = candidates.slice(0, settings.n_samples);
  }
  const priorities = computePriorities({
    scores,
    selected,
    shuffleProp: settings.shuffle_prop,
    rng: input.rng,
  });
  return {
    scores,
    selected,
    priorities,
    uncertaintyStrength: u,
    diversitySpace: modelSpace ? settings.diversity_space : 'pool',
  };
}

function gatherScores(scores: Float32Array, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = scores[rows[r] ?? 0] ?? 0;
  return out;
}
