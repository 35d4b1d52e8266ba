/**
 * k-means++-style seeding as a cold-start order (Arthur & Vassilvitskii 2007): each next pick is
 * drawn at random with probability ∝ (distance to the nearest pick so far × weight^strength)^2,
 * on unit-length rows. Between random order (every image equally likely) and greedy k-center
 * (always the farthest): near-duplicates of a pick become unlikely, but dense regions still get
 * picks in proportion to their mass, where greedy k-center walks the edges of each region first.
 */
import { normalisedRows } from '../src/acquisition/kcenterDistances';
import type { Rng } from '../src/acquisition/rng';

/** Row indices in pick order, `count` of them. */
export function dSquaredOrder(args: {
  rows: Float32Array;
  dim: number;
  count: number;
  weights: Float32Array;
  strength: number;
  rng: Rng;
}): number[] {
  const { dim, rng } = args;
  const { rows } = normalisedRows(args.rows, dim);
  const n = rows.length / dim;
  const w = Float64Array.from(args.weights, (v) => Math.max(v, 1e-12) ** args.strength);
  // Squared distance to the nearest pick; before the first pick every row counts as far (4 = 2²).
  const nearest = new Float64Array(n).fill(4);
  const picked = new Uint8Array(n);
  const order: number[] = [];
  while (order.length < Math.min(args.count, n)) {
    let total = 0;
    for (let i = 0; i < n; i++) if (!picked[i]) total += (nearest[i] ?? 0) * (w[i] ?? 0) ** 2;
    let r = rng() * total;
    let pick = -1;
    for (let i = 0; i < n && r >= 0; i++) {
      if (picked[i]) continue;
      pick = i;
      r -= (nearest[i] ?? 0) * (w[i] ?? 0) ** 2;
    }
    if (pick < 0) break;
    picked[pick] = 1;
    order.push(pick);
    for (let i = 0; i < n; i++) {
      if (picked[i]) continue;
      let d = 0;
      for (let j = 0; j < dim; j++)
        d += ((rows[i * dim + j] ?? 0) - (rows[pick * dim + j] ?? 0)) ** 2;
      if (d < (nearest[i] ?? 0)) nearest[i] = d;
    }
  }
  return order;
}
