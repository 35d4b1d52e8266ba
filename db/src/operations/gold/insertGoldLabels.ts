import type { Tx } from '../../knex';
import type { LabelValue } from '../../tables';

/** Appends gold answers (a null value retires a sample's gold answer); returns the rows' ids. */
export async function insertGoldLabels({
  tx,
  projectId,
  items,
  createdBy,
}: {
  tx: Tx;
  projectId: number;
  items: { sampleId: number; value: LabelValue | null }[];
  createdBy: string;
}): Promise<number[]> {
  if (items.length === 0) return [];
  const result = await tx.raw<{ rows: { id: number }[] }>(
    `INSERT INTO gold_labels (project_id, sample_id, value, created_by)
     SELECT ?, t.sample_id, nullif(t.value, 'null'::jsonb), ?
     FROM unnest(?::bigint[], ?::jsonb[]) WITH ORDINALITY AS t(sample_id, value, ord)
     ORDER BY t.ord
     RETURNING id`,
    [
      projectId,
      createdBy,
      items.map((i) => i.sampleId),
      items.map((i) => JSON.stringify(i.value)), // JSON null → SQL NULL above
    ],
  );
  return result.rows.map((r) => r.id);
}
