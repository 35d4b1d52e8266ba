/**
 * From the label rows in force to one training target per sample. Several labellers may have
 * labelled one sample (labels_per_sample > 1): the majority wins; a tie goes to the choice of
 * the earliest label (rows arrive oldest first). Multi-label: each option is decided on its
 * own by the same rule (a strict majority of the sample's labellers, ties: the earliest).
 */
import type { EffectiveLabel, LabelValue, SampleSplit } from '@al/db';

export interface ResolvedSample {
  sampleId: number;
  split: SampleSplit;
  contentHash: string;
  /** One-hot (single-label) or multi-hot row over the project's options. */
  target: Float32Array;
  /** How many labels were combined. */
  votes: number;
}

function asList(value: LabelValue): string[] {
  return Array.isArray(value) ? value : [value];
}

export function resolveLabels(
  rows: readonly EffectiveLabel[],
  options: readonly string[],
  multiLabel: boolean,
): ResolvedSample[] {
  const optionIndex = new Map(options.map((o, i) => [o, i] as const));
  const bySample = new Map<number, EffectiveLabel[]>();
  for (const row of rows) {
    const list = bySample.get(row.sample_id);
    if (list) list.push(row);
    else bySample.set(row.sample_id, [row]);
  }
  const resolved: ResolvedSample[] = [];
  for (const [sampleId, labels] of bySample) {
    const first = labels[0];
    if (!first) continue;
    const counts = new Float64Array(options.length);
    const earliest = new Float64Array(options.length).fill(-1);
    for (const [order, l] of labels.entries()) {
      for (const v of asList(l.value)) {
        const k = optionIndex.get(v);
        if (k === undefined) continue; // an option since removed from the project
        counts[k] = (counts[k] ?? 0) + 1;
        if (earliest[k] === -1) earliest[k] = order;
      }
    }
    const target = new Float32Array(options.length);
    if (multiLabel) {
      const firstChoices = new Set(asList(first.value));
      for (let k = 0; k < options.length; k++) {
        const c = counts[k] ?? 0;
        const half = labels.length / 2;
        if (c > half || (c === half && firstChoices.has(options[k] ?? ''))) target[k] = 1;
      }
    } else {
      let best = -1;
      for (let k = 0; k < options.length; k++) {
        if ((counts[k] ?? 0) === 0) continue;
        if (
          best === -1 ||
          (counts[k] ?? 0) > (counts[best] ?? 0) ||
          ((counts[k] ?? 0) === (counts[best] ?? 0) && (earliest[k] ?? 0) < (earliest[best] ?? 0))
        ) {
          best = k;
        }
      }
      if (best === -1) continue;
      target[best] = 1;
    }
    resolved.push({
      sampleId,
      split: first.split,
      contentHash: first.content_hash,
      target,
      votes: labels.length,
    });
  }
  return resolved;
}
