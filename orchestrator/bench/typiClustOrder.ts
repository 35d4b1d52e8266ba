/**
 * TypiClust as a cold-start order (Hacohen, Dekel & Weinshall 2022): at each budget step T the
 * pool is clustered by k-means into T clusters; the largest clusters holding no pick yet give
 * their most typical image, until T picks. k-means spreads its centroids by mass, not by
 * volume, so a compact class gets picks in proportion to its share of the pool, where k-center
 * (covering radius) gives it few.
 */
import type { Rng } from '../src/acquisition/rng';
import { randomInt } from '../src/acquisition/rng';

function sqDist(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let d = 0;
  for (let k = 0; k < dim; k++) d += ((a[i * dim + k] ?? 0) - (b[j * dim + k] ?? 0)) ** 2;
  return d;
}

/** Lloyd's k-means from k random rows; the cluster of each row. */
export function kMeans(rows: Float32Array, dim: number, k: number, rng: Rng, iterations = 15) {
  const n = rows.length / dim;
  const centres = new Float32Array(k * dim);
  const seen = new Set<number>();
  for (let c = 0; c < k; c++) {
    let r = randomInt(rng, n);
    while (seen.has(r)) r = randomInt(rng, n);
    seen.add(r);
    centres.set(rows.subarray(r * dim, (r + 1) * dim), c * dim);
  }
  const assign = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = sqDist(rows, i, centres, c, dim);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (assign[i] !== best) moved++;
      assign[i] = best;
    }
    const sums = new Float64Array(k * dim);
    const counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const c = assign[i] ?? 0;
      counts[c] = (counts[c] ?? 0) + 1;
      for (let j = 0; j < dim; j++)
        sums[c * dim + j] = (sums[c * dim + j] ?? 0) + (rows[i * dim + j] ?? 0);
    }
    for (let c = 0; c < k; c++) {
      const m = counts[c] ?? 0;
      if (m === 0) continue;
      for (let j = 0; j < dim; j++) centres[c * dim + j] = (sums[c * dim + j] ?? 0) / m;
    }
    if (it > 0 && moved === 0) break;
  }
  return assign;
}

/** Row indices in pick order: TypiClust steps at each of `steps` (ascending pick counts). */
export function typiClustOrder(args: {
  rows: Float32Array;
  dim: number;
  steps: readonly number[];
  typicality: Float32Array;
  rng: Rng;
}): number[] {
  const { rows, dim, typicality, rng } = args;
  const n = rows.length / dim;
  const order: number[] = [];
  const picked = new Uint8Array(n);
  for (const target of args.steps) {
    const k = Math.min(target, n);
    const assign = kMeans(rows, dim, k, rng);
    const size = new Int32Array(k);
    const covered = new Uint8Array(k);
    const best = new Int32Array(k).fill(-1);
    for (let i = 0; i < n; i++) {
      const c = assign[i] ?? 0;
      size[c] = (size[c] ?? 0) + 1;
      if (picked[i]) covered[c] = 1;
      else if (best[c] === -1 || (typicality[i] ?? 0) > (typicality[best[c] ?? 0] ?? 0))
        best[c] = i;
    }
    const clusters = Array.from({ length: k }, (_, c) => c)
      .filter((c) => !covered[c] && (best[c] ?? -1) >= 0)
      .sort((a, b) => (size[b] ?? 0) - (size[a] ?? 0));
    for (const c of clusters) {
      if (order.length >= target) break;
      const i = best[c] ?? -1;
      picked[i] = 1;
      order.push(i);
    }
    // Fewer uncovered clusters than picks wanted: the most typical of the rest.
    if (order.length < target) {
      const rest = Array.from({ length: n }, (_, i) => i)
        .filter((i) => !picked[i])
        .sort((a, b) => (typicality[b] ?? 0) - (typicality[a] ?? 0));
      for (const i of rest.slice(0, target - order.length)) {
        picked[i] = 1;
        order.push(i);
      }
    }
  }
  return order;
}
