import type { Tx } from '../../knex';
import type { LabelKind, LabelValue } from '../../tables';

export interface ExportedLabelRow {
  id: number;
  sample_id: number;
  source_uri: string;
  labeller: string;
  kind: LabelKind;
  value: LabelValue | null;
  undoes_id: number | null;
  conflict: boolean;
  time_spent_ms: number | null;
  created_at: Date;
}

/**
 * One page of a project's label rows in id order, after `afterId` (keyset paging: each page is
 * an index range scan, so exporting millions of rows never holds a long cursor or big buffer).
 */
export async function listLabelsPage({
  tx,
  projectId,
  afterId,
  limit,
}: {
  tx: Tx;
  projectId: number;
  afterId: number;
  limit: number;
}): Promise<ExportedLabelRow[]> {
  const result = await tx.raw<{ rows: ExportedLabelRow[] }>(
    `SELECT l.id, l.sample_id, s.source_uri, l.labeller, l.kind, l.value, l.undoes_id,
            l.conflict, l.time_spent_ms, l.created_at
     FROM labels l JOIN samples s ON s.id = l.sample_id
     WHERE l.project_id = ? AND l.id > ?
     ORDER BY l.id
     LIMIT ?`,
    [projectId, afterId, limit],
  );
  return result.rows;
}
