/**
 * Lazy greedy picks for k-center without a balance term (kcenter.ts calls it). The eager
 * loop lowers every candidate's distance after every pick: N × dim per pick even when the
 * triangle-inequality bound prunes nothing (structureless embeddings: 1,000 of 100k × 64 took
 * 6.3 s CPU). But a candidate's distance to its nearest centre only ever shrinks, so its last
 * computed objective (distance × weight) is an upper bound. A max-heap of those bounds lets
 * each pick refresh only the candidates that reach the top, each against just the centres
 * added since its own last refresh; the first one still on top after a refresh is the exact
 * argmax (ties: lowest index, as in the eager loop). Same picks, far fewer dot products.
 * Not usable with class balance: its factor can grow, so old objectives are not bounds.
 */
import { PICKED } from './kcenterDistances';

/** Binary max-heap of candidate indices by key, ties to the lower index. */
class BoundHeap {
  private readonly items: Int32Array;
  private size = 0;

  constructor(
    capacity: number,
    private readonly key: Float64Array,
  ) {
    this.items = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  private above(a: number, b: number): boolean {
    const ka = this.key[a] ?? 0;
    const kb = this.key[b] ?? 0;
    return ka > kb || (ka === kb && a < b);
  }

  push(i: number): void {
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const p = this.items[parent] ?? 0;
      if (!this.above(i, p)) break;
      this.items[at] = p;
      at = parent;
    }
    this.items[at] = i;
  }

  peek(): number {
    return this.items[0] ?? -1;
  }

  pop(): number {
    const top = this.items[0] ?? -1;
    const last = this.items[--this.size] ?? 0;
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const li = this.items[l] ?? 0;
      const ri = this.items[r] ?? 0;
      const child = r < this.size && this.above(ri, li) ? r : l;
      const ci = this.items[child] ?? 0;
      if (!this.above(ci, last)) break;
      this.items[at] = ci;
      at = child;
    }
    this.items[at] = last;
    return top;
  }
}

export interface LazyPickInput {
  /** Unit-length candidate rows and their squared norms (normalisedRows). */
  rows: Float32Array;
  sq: Float64Array;
  dim: number;
  /** Distances to the labelled centres already applied; lowered in place. */
  minDist: Float64Array;
  /** The centre store: labelled centres first (`labelledCount`), picks appended here. */
  centres: Float32Array;
  centreSq: Float64Array;
  labelledCount: number;
  /** weight^strength per candidate (> 0). */
  factor: Float64Array;
  limit: number;
  minDistance: number;
}

export function lazyPicks(input: LazyPickInput): { indices: Int32Array; distances: Float32Array } {
  const { rows, sq, dim, minDist, centres, centreSq, labelledCount: m, factor, limit } = input;
  const n = minDist.length;
  const seen = new Int32Array(n).fill(m); // centres each candidate's minDist accounts for
  const bound = new Float64Array(n);
  const heap = new BoundHeap(n, bound);
  for (let i = 0; i < n; i++) {
    const d = minDist[i] ?? 0;
    if (d === PICKED || d < input.minDistance) continue;
    bound[i] = d * (factor[i] ?? 0);
    heap.push(i);
  }
  let total = m;
  const refresh = (i: number): void => {
    let current = minDist[i] ?? 0;
    const base = i * dim;
    for (let c = seen[i] ?? total; c < total; c++) {
      const cb = c * dim;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += (rows[base + k] ?? 0) * (centres[cb + k] ?? 0);
      const distSq = (sq[i] ?? 0) + (centreSq[c] ?? 0) - 2 * dot;
      if (distSq < current * current) current = distSq > 0 ? Math.sqrt(distSq) : 0;
    }
    minDist[i] = current;
    seen[i] = total;
    bound[i] = current * (factor[i] ?? 0);
  };
  const indices = new Int32Array(limit);
  const distances = new Float32Array(limit);
  let picked = 0;
  while (picked < limit && heap.length > 0) {
    const i = heap.pop();
    if ((seen[i] ?? 0) < total) {
      refresh(i);
      // Nearer than min_distance now: it only gets nearer, so it never comes back.
      if ((minDist[i] ?? 0) < input.minDistance) continue;
      const next = heap.peek();
      if (heap.length > 0) {
        const bi = bound[i] ?? 0;
        const bn = bound[next] ?? 0;
        if (bn > bi || (bn === bi && next < i)) {
          heap.push(i);
          continue;
        }
      }
    }
    indices[picked] = i;
    distances[picked] = total > 0 ? (minDist[i] ?? 0) : Infinity;
    minDist[i] = PICKED;
    picked++;
    centres.set(rows.subarray(i * dim, (i + 1) * dim), total * dim);
    centreSq[total] = sq[i] ?? 0;
    total++;
  }
  return { indices: indices.slice(0, picked), distances: distances.slice(0, picked) };
}
