import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface EffectiveAnswerRow {
  id: number;
  sample_id: number;
  labeller: string;
  value: LabelValue;
}

/**
 * One page of a project's answers in force, in label id order after `afterId`: kind 'label',
 * not a conflict (a lost-lease answer is kept but not counted, as everywhere else), not reverted
 * by an undo, not by an excluded labeller. Keyset paging over the primary key, so reading 300k answers holds no long cursor;
 * no join to samples, since the final-label fit needs only sample ids.
 */
export async function listEffectiveAnswersPage({
  tx,
  projectId,
  afterId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  afterId: number;
  limit: number;
}): Promise<EffectiveAnswerRow[]> {
  const result = await tx.raw<{ rows: EffectiveAnswerRow[] }>(
    `SELECT l.id, l.sample_id, l.labeller, l.value
     FROM labels l
     WHERE l.project_id = ? AND l.id > ? AND l.kind = 'label' AND NOT l.conflict
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
       AND NOT EXISTS (SELECT 1 FROM excluded_labellers x
                       WHERE x.project_id = l.project_id AND x.labeller = l.labeller)
     ORDER BY l.id
     LIMIT ?`,
    [projectId, afterId, limit],
  );
  return result.rows;
}
