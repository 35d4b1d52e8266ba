/** Judges orders: the judge's test accuracy after the first k labels, per judge seed. */
import type { BenchDataset } from './datasets';
import { judgeAccuracy, type JudgeSettings } from './judge';
import type { LabelledOrder } from './personas';
import { deriveSeed } from './rng';

export interface CurvePoint {
  k: number;
  /** One accuracy per judge initialisation. */
  accuracies: number[];
}

/** The label counts to judge: the budgets and every `step` labels, up to `max`. */
export function judgePoints(budgets: number[], step: number, max: number): number[] {
  const ks = new Set(budgets.filter((b) => b <= max));
  for (let k = step; k <= max; k += step) ks.add(k);
  return [...ks].sort((a, b) => a - b);
}

export async function judgeOrder(
  ds: BenchDataset,
  order: LabelledOrder,
  ks: number[],
  opts: { judgeSeeds: number; seed: number; settings: JudgeSettings },
): Promise<CurvePoint[]> {
  const dim = ds.pool.dim;
  const points: CurvePoint[] = [];
  for (const k of ks) {
    if (k > order.poolIndex.length) break;
    const features = new Float32Array(k * dim);
    for (let r = 0; r < k; r++) {
      const i = order.poolIndex[r] ?? 0;
      features.set(ds.pool.features.subarray(i * dim, (i + 1) * dim), r * dim);
    }
    const labels = Int32Array.from(order.given.slice(0, k));
    const accuracies: number[] = [];
    for (let j = 0; j < opts.judgeSeeds; j++) {
      // The same initialisations for every order of a seed: orders differ only in their data.
      const seed = deriveSeed(opts.seed, 21, j);
      accuracies.push(
        await judgeAccuracy(
          { features, labels },
          ds.test,
          ds.classNames.length,
          seed,
          opts.settings,
        ),
      );
    }
    points.push({ k, accuracies });
  }
  return points;
}

export function mean(xs: number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample standard deviation (0 for a single value). */
export function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Labels the curve needs to reach `target`, interpolating linearly between judged points;
 * undefined when it never does.
 */
export function labelsToReach(
  curve: { k: number; acc: number }[],
  target: number,
): number | undefined {
  let prev: { k: number; acc: number } | undefined;
  for (const p of curve) {
    if (p.acc >= target) {
      if (!prev) return p.k;
      return prev.k + ((target - prev.acc) / (p.acc - prev.acc)) * (p.k - prev.k);
    }
    prev = p;
  }
  return undefined;
}

/** Linear interpolation of a curve at k (clamped to its ends). */
export function curveAt(curve: { k: number; acc: number }[], k: number): number | undefined {
  const first = curve[0];
  if (!first) return undefined;
  if (k <= first.k) return first.acc;
  for (let i = 1; i < curve.length; i++) {
    const a = curve[i - 1];
    const b = curve[i];
    if (a && b && k <= b.k) return a.acc + ((k - a.k) / (b.k - a.k)) * (b.acc - a.acc);
  }
  return curve.at(-1)?.acc;
}
