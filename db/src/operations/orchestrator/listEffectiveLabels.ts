import type { Tx } from '../../knex';
import type { LabelValue, SampleSplit } from '../../tables';

export interface EffectiveLabel {
  label_id: number;
  sample_id: number;
  split: SampleSplit;
  content_hash: string;
  labeller: string;
  value: LabelValue;
}

/**
 * Every label in force in a project, oldest first: kind 'label', not a conflict, not
 * reverted by an undo row, and not by a labeller an admin excluded (excluded_labellers). A sample labelled by several people appears once per label; the
 * caller resolves them (Dawid–Skene, as the final labels are).
 */
export async function listEffectiveLabels({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<EffectiveLabel[]> {
  const result = await tx.raw<{ rows: EffectiveLabel[] }>(
    `SELECT l.id AS label_id, l.sample_id, s.split, s.content_hash, l.labeller, l.value
     FROM labels l JOIN samples s ON s.id = l.sample_id
     WHERE l.project_id = ? AND l.kind = 'label' AND NOT l.conflict
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM excluded_labellers x
                       WHERE x.project_id = l.project_id AND x.labeller = l.labeller)
     ORDER BY l.id`,
    [projectId],
  );
  return result.rows;
}
