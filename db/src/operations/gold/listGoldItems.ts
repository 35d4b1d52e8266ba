import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

export interface GoldItemRow {
  sample_id: number;
  source_uri: string;
  value: LabelValue;
  /** Labels in force on the image, and how many match its gold answer. */
  answers: number;
  correct: number;
}

/** A project's gold images in force, in sample id order, with how labellers answered them. */
export async function listGoldItems({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<GoldItemRow[]> {
  const result = await tx.raw<{ rows: GoldItemRow[] }>(
    `SELECT g.sample_id, s.source_uri, g.value,
            count(l.id)::int AS answers,
            count(l.id) FILTER (WHERE l.value @> g.value AND g.value @> l.value)::int AS correct
     FROM gold_in_force g
     JOIN samples s ON s.id = g.sample_id
     LEFT JOIN labels l ON l.sample_id = g.sample_id AND l.kind = 'label'
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
     WHERE g.project_id = ?
     GROUP BY g.sample_id, s.source_uri, g.value
     ORDER BY g.sample_id`,
    [projectId],
  );
  return result.rows;
}
