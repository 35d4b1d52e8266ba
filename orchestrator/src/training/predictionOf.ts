import type { LabelValue } from '@al/db';

export interface Suggestion {
  label: LabelValue;
  confidence: number;
}

/**
 * The model's suggestion for one sample. Single-label: the most probable option and its
 * probability. Multi-label: every option at ≥ 0.5, with the confidence of the least sure
 * decision (the whole set is only as certain as its weakest yes/no).
 */
export function predictionOf(
  probs: Float32Array,
  row: number,
  labels: readonly string[],
  multiLabel: boolean,
): Suggestion {
  const c = labels.length;
  const p = probs.subarray(row * c, (row + 1) * c);
  if (multiLabel) {
    const chosen: string[] = [];
    let confidence = 1;
    for (let k = 0; k < c; k++) {
      const q = p[k] ?? 0;
      if (q >= 0.5) chosen.push(labels[k] ?? '');
      confidence = Math.min(confidence, Math.max(q, 1 - q));
    }
    return { label: chosen, confidence };
  }
  let best = 0;
  for (let k = 1; k < c; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
  return { label: labels[best] ?? '', confidence: p[best] ?? 0 };
}
