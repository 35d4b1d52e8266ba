import type { Tx } from '../../knex';
import type { DbLabelRow } from '../../tables';

/** The labeller's most recent label or skip in the project that no undo has reverted yet. */
export async function findLastUndoableEntry({
  tx,
  projectId,
  labeller,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
}): Promise<DbLabelRow | undefined> {
  const result = await tx.raw<{ rows: DbLabelRow[] }>(
    `SELECT l.* FROM labels l
     WHERE l.project_id = ? AND l.labeller = ? AND l.kind IN ('label', 'skip')
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
     ORDER BY l.id DESC
     LIMIT 1`,
    [projectId, labeller],
  );
  return result.rows[0];
}
