import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface SampleAnswerRow {
  id: number;
  sample_id: number;
  labeller: string;
  value: LabelValue;
}

/**
 * The answers in force on some samples of a project (the same rule as listEffectiveAnswersPage:
 * kind 'label', not a conflict, not undone, not by an excluded labeller), by sample then label
 * id. For the review list, which shows who said what on its few candidates; `ANY(?)` keeps it
 * one statement whatever the number of samples.
 */
export async function listAnswersOfSamples({
  tx,
  projectId,
  sampleIds,
}: {
  tx: Tx;
  projectId: number;
  sampleIds: readonly number[];
}): Promise<SampleAnswerRow[]> {
  if (sampleIds.length === 0) return [];
  const result = await tx.raw<{ rows: SampleAnswerRow[] }>(
    `SELECT l.id, l.sample_id, l.labeller, l.value
     FROM labels l
     WHERE l.project_id = ? AND l.sample_id = ANY(?::bigint[])
       AND l.kind = 'label' AND NOT l.conflict
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM excluded_labellers x
                       WHERE x.project_id = l.project_id AND x.labeller = l.labeller)
     ORDER BY l.sample_id, l.id`,
    [projectId, [...sampleIds]],
  );
  return result.rows;
}
