/**
 * From the label rows in force to one training target per sample. Several labellers may have
 * labelled one sample (labels_per_sample > 1): single-label projects then take the final label
 * the export gives (Dawid–Skene over every answer, so a labeller who agrees with the others
 * weighs more than one who does not); a tie goes to the choice of the earliest label (rows
 * arrive oldest first), as does a plain count when every sample has one label. Multi-label:
 * each option is decided on its own (a strict majority of the sample's labellers, ties: the
 * earliest).
 * A known answer in force (a reviewer's decision, else a gold answer) replaces the labellers'
 * target, and a sample with one is trained on even when no labeller has answered it.
 */
import type { EffectiveLabel, KnownAnswerRow, LabelValue, SampleSplit } from '@al/db';
import { AnswerSet, fitDawidSkene, itemPosterior } from '@al/labels';

export interface ResolvedSample {
  sampleId: number;
  split: SampleSplit;
  contentHash: string;
  /** One-hot (single-label) or multi-hot row over the project's options. */
  target: Float32Array;
  /** How many labellers' labels were combined (0: a known answer alone). */
  votes: number;
}

function asList(value: LabelValue): string[] {
  return Array.isArray(value) ? value : [value];
}

/** Posteriors ≥ the best minus this are a tie. */
const TIE = 1e-9;

/**
 * Per sample, Dawid–Skene's posterior over the options; only answers naming one option count.
 * Known answers anchor the fit (their labellers' answers there show how reliable each one is).
 */
function dawidSkenePosteriors(
  rows: readonly EffectiveLabel[],
  optionIndex: ReadonlyMap<string, number>,
  classes: number,
  known: readonly KnownAnswerRow[],
): Map<number, Float64Array> {
  const answers = new AnswerSet();
  for (const row of rows) {
    const list = asList(row.value);
    const k = list.length === 1 ? optionIndex.get(list[0] ?? '') : undefined;
    if (k !== undefined) answers.add({ sampleId: row.sample_id, labeller: row.labeller, value: k });
  }
  const grouped = answers.group(classes);
  const knownClass = new Map<number, number>();
  for (const k of known) {
    const list = asList(k.value);
    const c = list.length === 1 ? optionIndex.get(list[0] ?? '') : undefined;
    if (c !== undefined) knownClass.set(k.sample_id, c);
  }
  const anchors = Int32Array.from({ length: grouped.items }, (_, item) => {
    return knownClass.get(grouped.sampleIds[item] ?? 0) ?? -1;
  });
  const model = fitDawidSkene(grouped, undefined, anchors);
  const posteriors = new Map<number, Float64Array>();
  for (let item = 0; item < grouped.items; item++) {
    const start = grouped.itemStart[item] ?? 0;
    const end = grouped.itemStart[item + 1] ?? 0;
    const p = itemPosterior(model, grouped, start, end, new Float64Array(classes));
    posteriors.set(grouped.sampleIds[item] ?? 0, p);
  }
  return posteriors;
}

/** A known answer as a target row; undefined when it names no option of the project. */
function knownTarget(
  value: LabelValue,
  optionIndex: ReadonlyMap<string, number>,
  multiLabel: boolean,
): Float32Array | undefined {
  const list = asList(value);
  const target = new Float32Array(optionIndex.size);
  if (multiLabel) {
    // A set of no options is an answer too: none applies.
    for (const v of list) {
      const k = optionIndex.get(v);
      if (k !== undefined) target[k] = 1;
    }
    return target;
  }
  const k = list.length === 1 ? optionIndex.get(list[0] ?? '') : undefined;
  if (k === undefined) return undefined;
  target[k] = 1;
  return target;
}

/** Known answers replace resolved targets, or add the samples no labeller answered. */
function applyKnown(
  resolved: ResolvedSample[],
  known: readonly KnownAnswerRow[],
  optionIndex: ReadonlyMap<string, number>,
  multiLabel: boolean,
  answersOf: (sampleId: number) => number,
): ResolvedSample[] {
  const bySample = new Map(resolved.map((r) => [r.sampleId, r] as const));
  for (const k of known) {
    const target = knownTarget(k.value, optionIndex, multiLabel);
    if (!target) continue; // an option since removed: the labellers' target stands
    const resolvedOne = bySample.get(k.sample_id);
    if (resolvedOne) {
      resolvedOne.target = target;
      continue;
    }
    resolved.push({
      sampleId: k.sample_id,
      split: k.split,
      contentHash: k.content_hash,
      target,
      votes: answersOf(k.sample_id),
    });
  }
  return resolved;
}

export function resolveLabels(
  rows: readonly EffectiveLabel[],
  options: readonly string[],
  multiLabel: boolean,
  known: readonly KnownAnswerRow[] = [],
): ResolvedSample[] {
  const optionIndex = new Map(options.map((o, i) => [o, i] as const));
  const bySample = new Map<number, EffectiveLabel[]>();
  for (const row of rows) {
    const list = bySample.get(row.sample_id);
    if (list) list.push(row);
    else bySample.set(row.sample_id, [row]);
  }
  const overlap = [...bySample.values()].some((labels) => labels.length > 1);
  const posteriors =
    !multiLabel && overlap
      ? dawidSkenePosteriors(rows, optionIndex, options.length, known)
      : undefined;
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
      // The score to maximise: DS's posterior where it ran on this sample, else the count.
      const score = posteriors?.get(sampleId) ?? counts;
      let best = -1;
      for (let k = 0; k < options.length; k++) {
        if ((counts[k] ?? 0) === 0) continue;
        const gain = (score[k] ?? 0) - (best === -1 ? -Infinity : (score[best] ?? 0));
        if (gain > TIE || (gain >= -TIE && (earliest[k] ?? 0) < (earliest[best] ?? 0))) best = k;
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
  return applyKnown(
    resolved,
    known,
    optionIndex,
    multiLabel,
    (sampleId) => bySample.get(sampleId)?.length ?? 0,
  );
}
