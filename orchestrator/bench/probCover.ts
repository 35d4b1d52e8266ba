/**
 * ProbCover (Yehuda et al. 2022) for the cold-start bench: greedy max coverage of δ-balls on
 * the pool embedding. Each pick is the sample whose ball holds the most samples no earlier
 * pick's ball holds, so picks sit in dense regions by construction and never chase outliers
 * however many there are (weighted k-center does, once the dense regions have a centre).
 * δ is label-free as in the paper: the largest radius at which ≥ 95% of the balls are pure
 * under k-means pseudo-labels with one cluster per class. Experiment: a setting only if it wins.
 */
import { randomInt, type Rng } from '../src/acquisition/rng';
import type { TensorFlow } from '../src/backend/chooseBackend';
import { kmeans } from './patchFeatures';

const PURITY = 0.95;
const DELTAS = Array.from({ length: 40 }, (_, i) => 0.05 * (i + 1));

/** n × n distances between unit-length rows, row-major. */
function distances(tf: TensorFlow, rows: Float32Array, n: number, dim: number): Float32Array {
  const out = new Float32Array(n * n);
  const all = tf.tensor2d(rows, [n, dim]);
  try {
    for (let start = 0; start < n; start += 500) {
      const end = Math.min(n, start + 500);
      const sims = tf.tidy(() =>
        tf
          .matMul(
            tf.tensor2d(rows.subarray(start * dim, end * dim), [end - start, dim]),
            all,
            false,
            true,
          )
          .dataSync(),
      );
      for (let k = 0; k < sims.length; k++)
        out[start * n + k] = Math.sqrt(Math.max(0, 2 - 2 * (sims[k] ?? 1)));
    }
  } finally {
    all.dispose();
  }
  return out;
}

function assign(rows: Float32Array, n: number, dim: number, centres: Float32Array): Int32Array {
  const k = centres.length / dim;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      let d = 0;
      for (let j = 0; j < dim; j++)
        d += ((rows[i * dim + j] ?? 0) - (centres[c * dim + j] ?? 0)) ** 2;
      if (d < bestD) [best, bestD] = [c, d];
    }
    out[i] = best;
  }
  return out;
}

/** The largest δ whose balls are pure under the pseudo-labels for ≥ PURITY of the samples. */
function chooseDelta(dist: Float32Array, n: number, pseudo: Int32Array): number {
  // A ball is impure from the distance to its nearest sample of another cluster.
  const impureFrom = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (pseudo[j] !== pseudo[i])
        impureFrom[i] = Math.min(impureFrom[i] ?? Infinity, dist[i * n + j] ?? 0);
    }
  }
  let chosen = DELTAS[0] ?? 0.05;
  for (const delta of DELTAS) {
    let pure = 0;
    for (let i = 0; i < n; i++) if ((impureFrom[i] ?? 0) > delta) pure++;
    if (pure / n >= PURITY) chosen = delta;
  }
  return chosen;
}

export function probCoverOrder(
  tf: TensorFlow,
  rows: Float32Array,
  dim: number,
  numClasses: number,
  count: number,
  rng: Rng,
): { order: number[]; delta: number; coveredAt: number } {
  const n = rows.length / dim;
  const dist = distances(tf, rows, n, dim);
  const pseudo = assign(rows, n, dim, kmeans(tf, rows, n, dim, numClasses, 20, rng));
  const delta = chooseDelta(dist, n, pseudo);
  const balls: number[][] = Array.from({ length: n }, (_, i) => {
    const ball: number[] = [];
    for (let j = 0; j < n; j++) if ((dist[i * n + j] ?? 0) <= delta) ball.push(j);
    return ball;
  });
  const uncoveredIn = Int32Array.from(balls, (b) => b.length);
  const covered = new Uint8Array(n);
  const picked = new Uint8Array(n);
  const order: number[] = [];
  while (order.length < count) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (picked[i] === 0 && (best < 0 || (uncoveredIn[i] ?? 0) > (uncoveredIn[best] ?? 0)))
        best = i;
    }
    if (best < 0 || (uncoveredIn[best] ?? 0) === 0) break;
    picked[best] = 1;
    order.push(best);
    for (const j of balls[best] ?? []) {
      if (covered[j] === 1) continue;
      covered[j] = 1;
      // Balls are symmetric: the balls holding j are j's own neighbours.
      for (const i of balls[j] ?? []) uncoveredIn[i] = (uncoveredIn[i] ?? 0) - 1;
    }
  }
  // Everything covered: the rest in random order, as the paper leaves it.
  const coveredAt = order.length;
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (picked[i] === 0) rest.push(i);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [rest[i], rest[j]] = [rest[j] ?? 0, rest[i] ?? 0];
  }
  order.push(...rest.slice(0, count - order.length));
  return { order, delta, coveredAt };
}
