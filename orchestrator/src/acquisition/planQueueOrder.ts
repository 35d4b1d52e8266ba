/**
 * The warm path of acquisition, composed from the parts: score the open pool with the
 * project's function, keep the `candidate_pool` most uncertain, select `n_samples` of them
 * (k-center weighted by uncertainty when `diversity`, else simply the top scores), and turn
 * that into priorities for the whole pool. Pure: the job loop feeds it model outputs and
 * writes the priorities back.
 */
import { selectKCenter, type KCenterBalance } from './kcenter';
import { computePriorities } from './order';
import type { Rng } from './rng';
import type { AcquisitionSettings } from '@al/contract';
import { scoreUncertainty } from './uncertainty';

export interface QueueOrderInput {
  settings: AcquisitionSettings;
  /** N × numClasses model outputs over the open pool (softmax, or sigmoid if multiLabel). */
  probs: Float32Array;
  numClasses: number;
  multiLabel: boolean;
  /** N × dim embeddings of the same pool (the model's penultimate layer). */
  embeddings: Float32Array;
  /** M × dim embeddings of the labelled samples: existing centres. */
  labelledEmbeddings?: Float32Array;
  /** Per-class counts among the labelled samples, for class balance. */
  labelledCounts?: Float64Array;
  dim: number;
  rng: Rng;
}

export interface QueueOrder {
  scores: Float32Array;
  /** Pool indices placed at the head of the queue, in selection order. */
  selected: Int32Array;
  priorities: Float64Array;
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

export function planQueueOrder(input: QueueOrderInput): QueueOrder {
  const { settings, probs, numClasses, multiLabel, embeddings, dim, rng } = input;
  const scores = scoreUncertainty(settings.function, { probs, numClasses, multiLabel, rng });
  if (embeddings.length !== scores.length * dim) {
    throw new RangeError(
      `embeddings hold ${embeddings.length / dim} rows for ${scores.length} samples`,
    );
  }
  const candidates = topByScore(scores, settings.candidate_pool);
  let selected: Int32Array;
  if (settings.diversity) {
    const { indices } = selectKCenter({
      candidates: gatherRows(embeddings, dim, candidates),
      labelled: input.labelledEmbeddings,
      dim,
      nSamples: settings.n_samples,
      minDistance: settings.min_distance,
      weights: { values: gatherScores(scores, candidates), strength: 1 },
      // Balance needs one predicted class per sample: not defined for multi-label outputs.
      balance:
        settings.class_balance && !multiLabel
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
    rng,
  });
  return { scores, selected, priorities };
}

function gatherScores(scores: Float32Array, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = scores[rows[r] ?? 0] ?? 0;
  return out;
}
