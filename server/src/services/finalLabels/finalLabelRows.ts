import {
  listEffectiveAnswersPage,
  listKnownAnswers,
  listSampleUrisPage,
  type DbProjectRow,
  type LabelValue,
  type Tx,
} from '@al/db';
import type { FinalLabelRow } from '@al/contract';
import { keysetPages } from '../keysetPages';
import { AnswerSet, argMax, fitDawidSkene, itemPosterior, multiLabelVote } from '@al/labels';

/** Rows per keyset page: large enough that 300k answers take ~15 round trips. */
const PAGE_ROWS = 20_000;

/** Names of the values answers are coded as: single-label classes or multi-label option sets. */
class ValueCodes<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  code(key: string, value: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(key, i);
      this.values.push(value);
    }
    return i;
  }
}

/** A single-label answer's option; an array is accepted only when it holds one option. */
function singleValue(value: LabelValue): string | undefined {
  if (!Array.isArray(value)) return value;
  return value.length === 1 ? value[0] : undefined;
}

/** A known answer as a final label: multi-label as a sorted set, single-label as one option. */
export function knownLabel(value: LabelValue, multiLabel: boolean): LabelValue {
  if (multiLabel) return [...new Set(Array.isArray(value) ? value : [value])].sort();
  return singleValue(value) ?? value;
}

/**
 * The known answers in force (a review, else a gold answer) by sample id: they override the
 * labellers' answers, with confidence 1, since a person looked at the image to decide.
 */
export async function loadKnownLabels(
  tx: Tx,
  project: DbProjectRow,
): Promise<Map<number, LabelValue>> {
  const known = await listKnownAnswers({ tx, projectId: project.id });
  return new Map(known.map((k) => [k.sample_id, knownLabel(k.value, project.multi_label)]));
}

/**
 * Pass 1: every answer in force, compactly, with its value coded. Classes start as the
 * project's options (so class indexes follow them) and grow with any value no longer among
 * them (an option renamed after labelling): the answer still counts.
 */
export async function loadAnswers(tx: Tx, project: DbProjectRow) {
  const answers = new AnswerSet();
  const classes = new ValueCodes<string>();
  const optionSets = new ValueCodes<string[]>();
  for (const option of project.options) classes.code(option, option);
  const pages = keysetPages(
    (afterId, limit) => listEffectiveAnswersPage({ tx, projectId: project.id, afterId, limit }),
    PAGE_ROWS,
  );
  for await (const rows of pages) {
    for (const row of rows) {
      let value: number;
      if (project.multi_label) {
        const set = [...new Set(Array.isArray(row.value) ? row.value : [row.value])].sort();
        value = optionSets.code(JSON.stringify(set), set);
      } else {
        const option = singleValue(row.value);
        if (option === undefined) continue;
        value = classes.code(option, option);
      }
      answers.add({ sampleId: row.sample_id, labeller: row.labeller, value });
    }
  }
  return { answers, classes: classes.values, optionSets: optionSets.values };
}

type FinalLabel = Omit<FinalLabelRow, 'sampleId' | 'uri'>;

/** Per grouped item, the class of its known answer (-1: none), for Dawid–Skene to anchor on. */
function knownClasses(
  grouped: { items: number; sampleIds: ArrayLike<number> },
  classes: readonly string[],
  known: ReadonlyMap<number, LabelValue>,
): Int32Array {
  const index = new Map(classes.map((c, i) => [c, i] as const));
  const out = new Int32Array(grouped.items).fill(-1);
  for (let i = 0; i < grouped.items; i++) {
    const value = known.get(grouped.sampleIds[i] ?? 0);
    const option = value === undefined ? undefined : singleValue(value);
    out[i] = option === undefined ? -1 : (index.get(option) ?? -1);
  }
  return out;
}

/**
 * Fits the final labels of a project: every answer in force is read and (single-label)
 * Dawid–Skene is fitted over them, since one image's label depends on how reliable its labellers
 * are on every other image. `labelOf(sampleId, item)` is then the final label of a sample whose
 * answers, if any, are the grouped item `item`.
 */
async function fitFinalLabels(tx: Tx, project: DbProjectRow) {
  const loaded = await loadAnswers(tx, project);
  const known = await loadKnownLabels(tx, project);
  const grouped = loaded.answers.group(loaded.classes.length);
  const model = project.multi_label
    ? undefined
    : fitDawidSkene(grouped, undefined, knownClasses(grouped, loaded.classes, known));
  const posterior = new Float64Array(loaded.classes.length);

  /** The labellers' final label of the item at [start, end) of the grouped answers. */
  const decide = (start: number, end: number): Pick<FinalLabel, 'label' | 'confidence'> => {
    if (model) {
      const best = argMax(itemPosterior(model, grouped, start, end, posterior));
      return { label: loaded.classes[best.index] ?? null, confidence: best.probability };
    }
    const sets = Array.from(grouped.label.subarray(start, end), (v) => loaded.optionSets[v] ?? []);
    const vote = multiLabelVote(project.options, sets);
    return { label: vote?.label ?? null, confidence: vote?.confidence ?? null };
  };

  const labelOf = (sampleId: number, item: number): FinalLabel => {
    const start = grouped.itemStart[item] ?? 0;
    const end = grouped.itemStart[item + 1] ?? 0;
    const answers = grouped.sampleIds[item] === sampleId && end > start ? end - start : 0;
    const knownValue = known.get(sampleId);
    if (knownValue !== undefined) return { label: knownValue, confidence: 1, answers };
    if (answers > 0) return { ...decide(start, end), answers };
    return { label: null, confidence: null, answers };
  };
  return { grouped, labelOf };
}

/**
 * One row per sample of the project, in sample id order: Dawid–Skene's most probable class and
 * its posterior (single-label), or the per-option majority and mean agreement (multi-label);
 * where a known answer is in force (a review, else a gold answer), that label with confidence 1.
 * `answers` still counts the labellers' answers.
 * The fit needs every answer first, so it runs here, before the caller sends any header (a
 * failure is still a plain error answer); the rows then come from a walk of the samples in
 * keyset pages merged with the grouped answers (both in id order), so memory stays at the
 * answers' typed arrays.
 */
export async function finalLabelRows(
  tx: Tx,
  project: DbProjectRow,
): Promise<AsyncIterable<FinalLabelRow>> {
  const { grouped, labelOf } = await fitFinalLabels(tx, project);
  return (async function* walkSamples() {
    let item = 0;
    const pages = keysetPages(
      (afterId, limit) => listSampleUrisPage({ tx, projectId: project.id, afterId, limit }),
      PAGE_ROWS,
    );
    for await (const samples of pages) {
      for (const sample of samples) {
        while (item < grouped.items && (grouped.sampleIds[item] ?? 0) < sample.id) item++;
        yield { sampleId: sample.id, uri: sample.source_uri, ...labelOf(sample.id, item) };
      }
    }
  })();
}

/**
 * The final label of one sample, as finalLabelRows gives it. It costs the same fit over the
 * whole project (a review decision reports the label it replaced, once per decision).
 */
export async function finalLabelOf(
  tx: Tx,
  project: DbProjectRow,
  sampleId: number,
): Promise<FinalLabel> {
  const { grouped, labelOf } = await fitFinalLabels(tx, project);
  // Grouped items are in ascending sample id: the first item at or after sampleId.
  let lo = 0;
  let hi = grouped.items;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((grouped.sampleIds[mid] ?? 0) < sampleId) lo = mid + 1;
    else hi = mid;
  }
  return labelOf(sampleId, lo);
}
