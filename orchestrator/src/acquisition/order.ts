/**
 * From scores and a selection to queue priorities for the whole pool (samples.priority:
 * higher is handed out first).
 *
 * Ranking: the selected samples first, in selection order; then every other sample by score,
 * highest first (ties: lower index first, so the order is reproducible). Then `shuffleProp`:
 * each rank position joins a random subset with that probability and the samples on those
 * positions are permuted among themselves — superintendent's and baal's `shuffle_prop`,
 * which keeps a share of the hand-out away from the model's bias without discarding the
 * ranking. Priority of rank r among N: (N − r) / N, in (0, 1].
 */
import type { Rng } from './rng';
import { randomInt } from './rng';

export interface PriorityInput {
  /** One score per pool sample, higher = more useful to label next. */
  scores: Float32Array;
  /** Pool indices chosen by selection, in selection order (distinct). */
  selected: Int32Array;
  /** 0..1: probability that a rank position takes part in the random permutation. */
  shuffleProp: number;
  rng: Rng;
}

/** The pool indices in hand-out order, before shuffling. */
function rankPool(scores: Float32Array, selected: Int32Array): Int32Array {
  const n = scores.length;
  const isSelected = new Uint8Array(n);
  const order = new Int32Array(n);
  let r = 0;
  for (const i of selected) {
    if (i < 0 || i >= n) throw new RangeError(`selected index ${i} outside the pool of ${n}`);
    if (isSelected[i] === 1) throw new RangeError(`selected index ${i} appears twice`);
    isSelected[i] = 1;
    order[r++] = i;
  }
  const rest = order.subarray(r);
  let k = 0;
  for (let i = 0; i < n; i++) if (isSelected[i] === 0) rest[k++] = i;
  rest.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return order;
}

/** Permutes the entries on a random subset of positions (each in it with probability p). */
function shuffleSubset(order: Int32Array, p: number, rng: Rng): void {
  if (p <= 0) return;
  const positions = new Int32Array(order.length);
  let count = 0;
  for (let r = 0; r < order.length; r++) if (rng() < p) positions[count++] = r;
  // Fisher–Yates over the chosen positions.
  for (let a = count - 1; a > 0; a--) {
    const b = randomInt(rng, a + 1);
    const pa = positions[a] ?? 0;
    const pb = positions[b] ?? 0;
    const tmp = order[pa] ?? 0;
    order[pa] = order[pb] ?? 0;
    order[pb] = tmp;
  }
}

export function computePriorities({
  scores,
  selected,
  shuffleProp,
  rng,
}: PriorityInput): Float64Array {
  if (!(shuffleProp >= 0 && shuffleProp <= 1)) {
    throw new RangeError(`shuffleProp must be in [0, 1], got ${shuffleProp}`);
  }
  const order = rankPool(scores, selected);
  shuffleSubset(order, shuffleProp, rng);
  const n = order.length;
  const priorities = new Float64Array(n);
  for (let r = 0; r < n; r++) priorities[order[r] ?? 0] = (n - r) / n;
  return priorities;
}
