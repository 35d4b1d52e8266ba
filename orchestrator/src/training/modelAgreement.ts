/**
 * How much a new model agrees with the one before it: the share of the open pool on which
 * its suggestion equals the stored one. Needs no labels and is taken over thousands of
 * samples, so it is a steady sign of whether the model has settled (acquisition gates
 * uncertainty on it).
 */
import type { LabelValue } from '@al/db';
import { predictionOf } from './predictionOf';

function sameLabel(a: LabelValue, b: LabelValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/** Undefined when no row carries a previous prediction (first model, or after a cold start). */
export function agreementWithPrevious(o: {
  probs: Float32Array;
  previous: readonly (LabelValue | null)[];
  labels: readonly string[];
  multiLabel: boolean;
}): number | undefined {
  let compared = 0;
  let agreed = 0;
  o.previous.forEach((before, row) => {
    if (before === null) return;
    compared++;
    if (sameLabel(predictionOf(o.probs, row, o.labels, o.multiLabel).label, before)) agreed++;
  });
  return compared === 0 ? undefined : agreed / compared;
}
