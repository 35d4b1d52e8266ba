/**
 * Quality of a model on the held-out share: accuracy, per-class precision / recall / F1, and
 * (single-label) the confusion matrix. Pure, so a test can recompute it from a loaded model.
 *
 * Single-label: the prediction is the argmax; accuracy is the share predicted right.
 * Multi-label: a label is predicted when its sigmoid output is ≥ 0.5; accuracy is the share
 * of samples whose whole label set is right (exact match), per-class figures count per label.
 */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** How many held-out samples truly have this label. */
  support: number;
}

export interface EvaluationMetrics {
  evaluatedOn: number;
  accuracy: number | null;
  /**
   * 95% Wilson interval of the accuracy: the held-out share is a random sample of the pool,
   * labelled in random order, so this bounds the accuracy on the whole pool.
   */
  accuracyInterval: [number, number] | null;
  macroF1: number | null;
  perClass: ClassMetrics[];
  /** confusion[truth][predicted]; null for multi-label. */
  confusion: number[][] | null;
}

export interface EvaluationInput {
  probs: Float32Array;
  /** n × numClasses one-hot / multi-hot truth. */
  targets: Float32Array;
  labels: readonly string[];
  multiLabel: boolean;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if ((row[c] ?? 0) > (row[best] ?? 0)) best = c;
  return best;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** 95% Wilson score interval of a proportion `successes / n` (n > 0). */
export function wilsonInterval(successes: number, n: number): [number, number] {
  const z = 1.959964;
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function evaluatePredictions({
  probs,
  targets,
  labels,
  multiLabel,
}: EvaluationInput): EvaluationMetrics {
  const c = labels.length;
  const n = targets.length / c;
  const tp = new Float64Array(c);
  const fp = new Float64Array(c);
  const fn = new Float64Array(c);
  const confusion = multiLabel ? null : labels.map(() => new Array<number>(c).fill(0));
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const p = probs.subarray(i * c, (i + 1) * c);
    const t = targets.subarray(i * c, (i + 1) * c);
    let allRight = true;
    if (multiLabel) {
      for (let k = 0; k < c; k++) {
        const predicted = (p[k] ?? 0) >= 0.5;
        const truth = (t[k] ?? 0) >= 0.5;
        if (predicted && truth) tp[k] = (tp[k] ?? 0) + 1;
        else if (predicted) fp[k] = (fp[k] ?? 0) + 1;
        else if (truth) fn[k] = (fn[k] ?? 0) + 1;
        if (predicted !== truth) allRight = false;
      }
    } else {
      const predicted = argmax(p);
      const truth = argmax(t);
      const row = confusion?.[truth];
      if (row) row[predicted] = (row[predicted] ?? 0) + 1;
      if (predicted === truth) tp[truth] = (tp[truth] ?? 0) + 1;
      else {
        fp[predicted] = (fp[predicted] ?? 0) + 1;
        fn[truth] = (fn[truth] ?? 0) + 1;
        allRight = false;
      }
    }
    if (allRight) correct++;
  }
  const perClass = labels.map((label, k) => {
    const precision = ratio(tp[k] ?? 0, (tp[k] ?? 0) + (fp[k] ?? 0));
    const recall = ratio(tp[k] ?? 0, (tp[k] ?? 0) + (fn[k] ?? 0));
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { label, precision, recall, f1, support: (tp[k] ?? 0) + (fn[k] ?? 0) };
  });
  const present = perClass.filter((m) => m.support > 0);
  return {
    evaluatedOn: n,
    accuracy: n === 0 ? null : correct / n,
    accuracyInterval: n === 0 ? null : wilsonInterval(correct, n),
    macroF1: present.length === 0 ? null : present.reduce((s, m) => s + m.f1, 0) / present.length,
    perClass,
    confusion,
  };
}
