import type { Tx } from '../../knex';
import type { DbLabelRow } from '../../tables';

/**
 * The labeller's most recent label or skip in the project that no undo has reverted yet, and
 * whether it answered a gold hand-out.
 */
export async function findLastUndoableEntry({
  tx,
  projectId,
  labeller,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
}): Promise<(DbLabelRow & { gold: boolean }) | undefined> {
  const result = await tx.raw<{ rows: (DbLabelRow & { gold: boolean })[] }>(
    `SELECT l.*, coalesce(h.gold, false) AS gold
     FROM labels l LEFT JOIN handouts h ON h.id = l.handout_id
     WHERE l.project_id = ? AND l.labeller = ? AND l.kind IN ('label', 'skip')
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)
     ORDER BY l.id DESC
     LIMIT 1`,
    [projectId, labeller],
  );
  return result.rows[0];
}
