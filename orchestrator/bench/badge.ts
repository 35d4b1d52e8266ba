/**
 * BADGE (Ash et al. 2020) for the array bench: k-means++ seeding on gradient embeddings
 * g_i = (p_i − onehot(argmax p_i)) ⊗ h_i, where h_i is the classifier's penultimate layer.
 * The gradient's norm carries the uncertainty and the D² sampling the diversity, so one
 * batch mixes both without a weight to tune. Experiment: a setting only if it wins.
 */
import type { Rng } from '../src/acquisition/rng';

/** Squared distance between g_i and g_j, from (p − e) and h without forming the C×d vectors. */
function gradDistance2(
  a: Float32Array,
  ha: Float32Array,
  b: Float32Array,
  hb: Float32Array,
): number {
  // ‖a⊗ha − b⊗hb‖² = ‖a‖²‖ha‖² + ‖b‖²‖hb‖² − 2 (a·b)(ha·hb)
  let aa = 0;
  let bb = 0;
  let ab = 0;
  for (let c = 0; c < a.length; c++) {
    const x = a[c] ?? 0;
    const y = b[c] ?? 0;
    aa += x * x;
    bb += y * y;
    ab += x * y;
  }
  let hh = 0;
  let hhb = 0;
  let hab = 0;
  for (let d = 0; d < ha.length; d++) {
    const x = ha[d] ?? 0;
    const y = hb[d] ?? 0;
    hh += x * x;
    hhb += y * y;
    hab += x * y;
  }
  return Math.max(0, aa * hh + bb * hhb - 2 * ab * hab);
}

/** Indices (into the n scored rows) of `k` picks by k-means++ seeding, in pick order. */
export function badgeSelect(
  probs: Float32Array,
  embeddings: Float32Array,
  numClasses: number,
  dim: number,
  k: number,
  rng: Rng,
): Int32Array {
  const n = probs.length / numClasses;
  const residual = (i: number) => {
    const p = probs.slice(i * numClasses, (i + 1) * numClasses);
    let best = 0;
    for (let c = 1; c < numClasses; c++) if ((p[c] ?? 0) > (p[best] ?? 0)) best = c;
    p[best] = (p[best] ?? 0) - 1;
    return p;
  };
  const res = Array.from({ length: n }, (_, i) => residual(i));
  const hid = Array.from({ length: n }, (_, i) => embeddings.subarray(i * dim, (i + 1) * dim));
  const zero = { r: new Float32Array(numClasses), h: new Float32Array(dim) };
  const d2 = new Float64Array(n);
  for (let i = 0; i < n; i++)
    d2[i] = gradDistance2(res[i] ?? zero.r, hid[i] ?? zero.h, zero.r, zero.h);
  const picks: number[] = [];
  const taken = new Uint8Array(n);
  // The first pick is the largest gradient, as in BADGE.
  let first = 0;
  for (let i = 1; i < n; i++) if ((d2[i] ?? 0) > (d2[first] ?? 0)) first = i;
  let last = first;
  while (picks.length < Math.min(k, n)) {
    picks.push(last);
    taken[last] = 1;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (taken[i]) {
        d2[i] = 0;
        continue;
      }
      const d = gradDistance2(
        res[i] ?? zero.r,
        hid[i] ?? zero.h,
        res[last] ?? zero.r,
        hid[last] ?? zero.h,
      );
      if (d < (d2[i] ?? 0)) d2[i] = d;
      total += d2[i] ?? 0;
    }
    if (total <= 0) break;
    let target = rng() * total;
    let next = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      target -= d2[i] ?? 0;
      next = i;
      if (target <= 0) break;
    }
    last = next;
  }
  return Int32Array.from(picks);
}
