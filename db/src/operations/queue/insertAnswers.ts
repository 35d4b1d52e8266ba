import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface AnswerInput {
  projectId: number;
  sampleId: number;
  labeller: string;
  kind: 'label' | 'skip';
  /** The label's value; null for a skip. */
  value: LabelValue | null;
  clientKey: string | null;
}

export interface AnswerResult {
  /** A row this labeller already wrote under the same client key (a resend): nothing new written. */
  replay_id: number | null;
  replay_conflict: boolean | null;
  /** Project of the sample; null when no such sample. */
  project_id: number | null;
  /** The value fits the project's options and mode (always true for a skip). */
  value_ok: boolean | null;
  /** The labeller's latest hand-out of the sample; null when it was never handed to them. */
  handout_id: number | null;
  /** The new row; null when a check failed or that hand-out was already answered. */
  label_id: number | null;
  conflict: boolean | null;
}

/** node-postgres sends null elements of an array as SQL NULL; knex's binding type omits them. */
const nullableTexts = (xs: (string | null)[]) => xs as string[];

/**
 * Appends labels or skips, each as the answer to its labeller's latest hand-out of the sample,
 * in one round trip and one commit: the answer_samples function (db/src/sql/answer_samples.sql,
 * which says how the checks and the counting work). A label counts unless the sample already
 * has all wanted labels (then it is kept as a conflict); a skip never counts; either ends the
 * labeller's lease on the sample. Items are written in the order given: callers sort a batch by
 * sample id, so two batches lock their rows in one order and cannot deadlock each other.
 */
export async function insertAnswers({
  tx,
  answers,
}: {
  tx: Tx;
  answers: readonly AnswerInput[];
}): Promise<AnswerResult[]> {
  const result = await tx.raw<{ rows: (AnswerResult & { ord: number })[] }>(
    `SELECT * FROM answer_samples(?::bigint[], ?::int[], ?::text[], ?::text[], ?::jsonb[], ?::text[])`,
    [
      answers.map((a) => a.sampleId),
      answers.map((a) => a.projectId),
      answers.map((a) => a.labeller),
      answers.map((a) => a.kind),
      nullableTexts(answers.map((a) => (a.value === null ? null : JSON.stringify(a.value)))),
      nullableTexts(answers.map((a) => a.clientKey)),
    ],
  );
  const byOrd = new Map(result.rows.map(({ ord, ...row }) => [ord, row]));
  return answers.map((_, k) => {
    const row = byOrd.get(k + 1);
    if (!row) throw new Error(`answer statement returned no row for item ${k + 1}`);
    return row;
  });
}
