import type { Tx } from '../../knex';
import type { DbLabelRow, LabelKind, LabelValue } from '../../tables';

export interface NewLabelRow {
  projectId: number;
  sampleId: number;
  labeller: string;
  kind: LabelKind;
  value?: LabelValue | null;
  undoesId?: number | null;
  conflict?: boolean;
  timeSpentMs?: number | null;
  modelVersion?: number | null;
  clientKey?: string | null;
}

/** Appends one row to the label history (labels are never updated or deleted). */
export async function insertLabelRow({
  tx,
  row,
}: {
  tx: Tx;
  row: NewLabelRow;
}): Promise<DbLabelRow> {
  const result = await tx.raw<{ rows: DbLabelRow[] }>(
    `INSERT INTO labels (project_id, sample_id, labeller, kind, value, undoes_id, conflict,
                         time_spent_ms, model_version, client_key)
     VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
     RETURNING *`,
    [
      row.projectId,
      row.sampleId,
      row.labeller,
      row.kind,
      row.value === undefined || row.value === null ? null : JSON.stringify(row.value),
      row.undoesId ?? null,
      row.conflict ?? false,
      row.timeSpentMs ?? null,
      row.modelVersion ?? null,
      row.clientKey ?? null,
    ],
  );
  const inserted = result.rows[0];
  if (!inserted) throw new Error('insert into labels returned no row');
  return inserted;
}
