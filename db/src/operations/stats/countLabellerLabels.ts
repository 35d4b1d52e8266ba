import type { Tx } from '../../knex';

/** Effective labels (not undone, not conflicts) one labeller has in a project. */
export async function countLabellerLabels({
  tx,
  projectId,
  labeller,
}: {
  tx: Tx;
  projectId: number;
  labeller: string;
}): Promise<number> {
  const result = await tx.raw<{ rows: { n: number }[] }>(
    `SELECT count(*)::int AS n FROM labels l
     WHERE l.project_id = ? AND l.labeller = ? AND l.kind = 'label' AND NOT l.conflict
       AND NOT EXISTS (SELECT 1 FROM labels u WHERE u.undoes_id = l.id)`,
    [projectId, labeller],
  );
  return result.rows[0]?.n ?? 0;
}
