import type { Tx } from '../../knex';

/**
 * Whether a retrain of the project ever completed, i.e. wrote an order: before that, the
 * queue is still in import order, and the first retrain orders what it has decoded quickly.
 */
export async function hasCompletedRetrain({
  tx,
  projectId,
}: {
  tx: Tx;
  projectId: number;
}): Promise<boolean> {
  const result = await tx.raw<{ rows: { done: boolean }[] }>(
    `SELECT EXISTS (SELECT 1 FROM retrain_jobs WHERE project_id = ? AND status = 'done') AS done`,
    [projectId],
  );
  return result.rows[0]?.done ?? false;
}
