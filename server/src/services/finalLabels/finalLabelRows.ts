import {
  listEffectiveAnswersPage,
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

/**
 * One row per sample of the project, in sample id order: Dawid–Skene's most probable class and
 * its posterior (single-label), or the per-option majority and mean agreement (multi-label).
 * The fit needs every answer first, so it runs here, before the caller sends any header (a
 * failure is still a plain error answer); the rows then come from a walk of the samples in
 * keyset pages merged with the grouped answers (both in id order), so memory stays at the
 * answers' typed arrays.
 */
export async function finalLabelRows(
  tx: Tx,
  project: DbProjectRow,
): Promise<AsyncIterable<FinalLabelRow>> {
  const loaded = await loadAnswers(tx, project);
  const grouped = loaded.answers.group(loaded.classes.length);
  const model = project.multi_label ? undefined : fitDawidSkene(grouped);
  const posterior = new Float64Array(loaded.classes.length);

  /** The final label of the item at [start, end) of the grouped answers. */
  const decide = (start: number, end: number): Pick<FinalLabelRow, 'label' | 'confidence'> => {
    if (model) {
      const best = argMax(itemPosterior(model, grouped, start, end, posterior));
      return { label: loaded.classes[best.index] ?? null, confidence: best.probability };
    }
    const sets = Array.from(grouped.label.subarray(start, end), (v) => loaded.optionSets[v] ?? []);
    const vote = multiLabelVote(project.options, sets);
    return { label: vote?.label ?? null, confidence: vote?.confidence ?? null };
  };

  return (async function* walkSamples() {
    let item = 0;
    const pages = keysetPages(
      (afterId, limit) => listSampleUrisPage({ tx, projectId: project.id, afterId, limit }),
      PAGE_ROWS,
    );
    for await (const samples of pages) {
      for (const sample of samples) {
        while (item < grouped.items && (grouped.sampleIds[item] ?? 0) < sample.id) item++;
        const start = grouped.itemStart[item] ?? 0;
        const end = grouped.itemStart[item + 1] ?? 0;
        const answered = grouped.sampleIds[item] === sample.id && end > start;
        yield {
          sampleId: sample.id,
          uri: sample.source_uri,
          ...(answered ? decide(start, end) : { label: null, confidence: null }),
          answers: answered ? end - start : 0,
        };
      }
    }
  })();
}
